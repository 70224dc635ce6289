//! Everything the user can ask of the editor as one enum, and the one table that gives each
//! menu command its label and keyboard shortcut. Panels and the canvas push [`Action`]s; the
//! app applies them in one place, in order.

use std::path::PathBuf;

use eframe::egui::{Key, KeyboardShortcut, Modifiers};
use medflow_core::control::{ControlKind, ControlSpec, FdaCategory, Party, Raci, Roles};
use medflow_core::edit::{Command, NewObject};

/// A request from the UI, applied by the app after the frame's panels are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A menu command (also reachable by its shortcut).
    Menu(MenuCommand),
    /// Open this file in a tab (or switch to its tab).
    Open(PathBuf),
    /// Open a flow of the built-in library (its path under `flows/`) as a new, unsaved tab.
    OpenBuiltIn(&'static str),
    /// Save the tab with this key ([`crate::tab::Tab::key`]) to this path (after a Save As
    /// dialog), then do `then`.
    SaveTo {
        /// The tab's key.
        tab: u64,
        /// Where to save it.
        path: PathBuf,
        /// What follows a successful save.
        then: crate::dialogs::AfterSave,
    },
    /// Switch to this tab.
    SelectTab(usize),
    /// Close the tab at this position, asking first when it has unsaved changes.
    CloseTab(usize),
    /// Close the tab at this position, dropping unsaved changes.
    DiscardTab(usize),
    /// Apply edit commands to the active document as one undo step.
    Edit {
        /// The undo label.
        label: String,
        /// Merge with the previous step when it has the same key (typing, dragging).
        coalesce_key: Option<String>,
        /// The commands.
        commands: Vec<Command>,
    },
    /// End the current typing or dragging burst.
    EndBurst,
    /// Replace the selection.
    Select(Vec<String>),
    /// Select an object and bring it into view.
    Reveal(String),
    /// Add a new object of this kind in free space near the selection or the view's centre.
    AddNode(NewObject),
    /// Add a new object of this kind in free space near a canvas point (the canvas menu).
    AddNodeAt {
        /// What to add.
        kind: NewObject,
        /// Where, in canvas coordinates.
        at: [f32; 2],
    },
    /// Open the technique picker for this action.
    PickTechnique(String),
    /// Link two nodes with a new `related-to` relationship.
    Relate {
        /// The relationship's source.
        source: String,
        /// Its target.
        target: String,
    },
    /// Remove the relationships from `source` to `target`.
    Unrelate {
        /// The relationships' source.
        source: String,
        /// Their target.
        target: String,
    },
    /// Say something in the status bar (an error or a refused edit).
    Notify(String),
    /// Add a new control addressing an action of the active document.
    AddControl {
        /// The action.
        action: String,
        /// What the control is.
        spec: ControlSpec,
    },
    /// Link a control of the active document to an action.
    LinkControl {
        /// The control.
        control: String,
        /// The action.
        action: String,
    },
    /// Remove the links between a control and an action of the active document.
    UnlinkControl {
        /// The control.
        control: String,
        /// The action.
        action: String,
    },
    /// Set a control's kind, FDA category and RACI, in the document of tab `tab`.
    SetControl {
        /// The tab holding the control.
        tab: usize,
        /// The control.
        control: String,
        /// Its kind.
        kind: ControlKind,
        /// Its FDA category.
        fda_category: Option<FdaCategory>,
        /// Its RACI.
        raci: Raci,
        /// The undo label ("Set HDO to AR on MFA for vendor access").
        label: String,
    },
    /// Set one party's roles on a control, in every open tab holding a copy of it (each copy
    /// keeps its own kind, category and other parties): one undo step per tab.
    SetControlRoles {
        /// The tabs holding the control.
        tabs: Vec<usize>,
        /// The control.
        control: String,
        /// The party.
        party: Party,
        /// Its roles (none takes the party out).
        roles: Roles,
        /// The undo label ("Set HDO to AR on MFA for vendor access").
        label: String,
    },
    /// Apply edit commands to the document of the tab at `tab` (not necessarily the active
    /// one) as one undo step of that tab.
    EditTab {
        /// The tab.
        tab: usize,
        /// The undo label.
        label: String,
        /// The commands.
        commands: Vec<Command>,
    },
    /// Run the simulation panel's simulation again, with its current choices.
    RunSimulation,
    /// Implement a suggested control in the profile of tab `profile_tab`, then run again.
    ImplementSuggested {
        /// The profile's tab.
        profile_tab: usize,
        /// The control's id.
        control: String,
    },
    /// Add a component the product has to the active architecture profile.
    AddComponent {
        /// The component's key.
        key: String,
        /// Its name.
        name: String,
        /// The key of the zone it sits in.
        zone: String,
    },
    /// Switch the bottom panel to this view.
    ShowBottom(BottomView),
    /// Bind an asset of the active document to a component of the reference architecture
    /// (`None`: unbind it).
    BindAsset {
        /// The asset.
        asset: String,
        /// The component's key.
        component: Option<String>,
    },
}

impl Action {
    /// True for actions that change a document (refused on a read-only tab).
    #[must_use]
    pub fn edits_document(&self) -> bool {
        match self {
            Self::Menu(command) => command.edits_document(),
            Self::Edit { .. }
            | Self::AddNode(_)
            | Self::AddNodeAt { .. }
            | Self::Relate { .. }
            | Self::Unrelate { .. }
            | Self::AddControl { .. }
            | Self::LinkControl { .. }
            | Self::UnlinkControl { .. }
            | Self::SetControl { .. }
            | Self::SetControlRoles { .. }
            | Self::AddComponent { .. }
            | Self::BindAsset { .. }
            | Self::EditTab { .. }
            | Self::ImplementSuggested { .. }
            | Self::PickTechnique(_) => true,
            Self::Open(_)
            | Self::OpenBuiltIn(_)
            | Self::SaveTo { .. }
            | Self::SelectTab(_)
            | Self::CloseTab(_)
            | Self::DiscardTab(_)
            | Self::EndBurst
            | Self::Select(_)
            | Self::Reveal(_)
            | Self::Notify(_)
            | Self::RunSimulation
            | Self::ShowBottom(_) => false,
        }
    }
}

/// What the bottom panel shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BottomView {
    /// The active flow's problems.
    #[default]
    Problems,
    /// The active flow's actions and their controls.
    Coverage,
    /// The controls of the open flows against the five parties.
    Raci,
    /// The active flow simulated against a device's profile: impacts, score, playback.
    Simulation,
}

/// The commands of the menus, each with one label and at most one shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuCommand {
    /// A new flow in a new tab.
    New,
    /// A new architecture profile in a new tab.
    NewProfile,
    /// Open files through the system dialog.
    Open,
    /// Save the active tab.
    Save,
    /// Save the active tab under a new name.
    SaveAs,
    /// Close the active tab.
    Close,
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Delete the selected objects.
    Delete,
    /// Select every node.
    SelectAll,
    /// Clear the selection.
    SelectNone,
    /// Fit the whole flow in the view.
    ZoomToFit,
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Apply the automatic layout (one undo step).
    TidyLayout,
    /// Switch between the dark and the light theme.
    ToggleTheme,
    /// Close the window (asking first about unsaved changes).
    Quit,
    /// Draw the active flow's controls as nodes on the canvas, or stop.
    ToggleControlNodes,
    /// Draw the flow across the architecture's zones, or on its own.
    ToggleArchitectureView,
    /// Lay the flow out left to right instead of top to bottom (or back).
    ToggleLayoutDirection,
    /// The keyboard shortcuts.
    Shortcuts,
    /// The version, the licence and MITRE's ATT&CK notice.
    About,
}

const COMMAND: Modifiers = Modifiers::COMMAND;
const COMMAND_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

impl MenuCommand {
    /// Every command, in menu order.
    pub const ALL: [MenuCommand; 22] = [
        Self::New,
        Self::NewProfile,
        Self::Open,
        Self::Save,
        Self::SaveAs,
        Self::Close,
        Self::Undo,
        Self::Redo,
        Self::Delete,
        Self::SelectAll,
        Self::SelectNone,
        Self::ZoomToFit,
        Self::ZoomIn,
        Self::ZoomOut,
        Self::TidyLayout,
        Self::ToggleTheme,
        Self::Quit,
        Self::ToggleControlNodes,
        Self::ToggleArchitectureView,
        Self::ToggleLayoutDirection,
        Self::Shortcuts,
        Self::About,
    ];

    /// The menu label.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New flow",
            Self::NewProfile => "New architecture profile",
            Self::Open => "Open…",
            Self::Save => "Save",
            Self::SaveAs => "Save as…",
            Self::Close => "Close tab",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Delete => "Delete",
            Self::SelectAll => "Select all",
            Self::SelectNone => "Select none",
            Self::ZoomToFit => "Zoom to fit",
            Self::ZoomIn => "Zoom in",
            Self::ZoomOut => "Zoom out",
            Self::TidyLayout => "Tidy layout",
            Self::ToggleTheme => "Switch light/dark theme",
            Self::Quit => "Quit",
            Self::ToggleControlNodes => "Show controls as nodes",
            Self::ToggleArchitectureView => "Architecture view",
            Self::ToggleLayoutDirection => "Lay out left to right",
            Self::Shortcuts => "Keyboard shortcuts",
            Self::About => "About MedFlow Studio",
        }
    }

    /// The keyboard shortcuts, the first one shown in menus.
    #[must_use]
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        const fn shortcut(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(modifiers, key)
        }
        match self {
            Self::New => vec![shortcut(COMMAND, Key::N)],
            Self::Open => vec![shortcut(COMMAND, Key::O)],
            Self::Save => vec![shortcut(COMMAND, Key::S)],
            Self::SaveAs => vec![shortcut(COMMAND_SHIFT, Key::S)],
            Self::Close => vec![shortcut(COMMAND, Key::W)],
            Self::Undo => vec![shortcut(COMMAND, Key::Z)],
            Self::Redo => vec![shortcut(COMMAND, Key::Y), shortcut(COMMAND_SHIFT, Key::Z)],
            Self::Delete => vec![shortcut(Modifiers::NONE, Key::Delete)],
            Self::SelectAll => vec![shortcut(COMMAND, Key::A)],
            Self::SelectNone => vec![shortcut(Modifiers::NONE, Key::Escape)],
            Self::ZoomToFit => vec![shortcut(COMMAND, Key::Num0)],
            Self::ZoomIn => vec![shortcut(COMMAND, Key::Plus), shortcut(COMMAND, Key::Equals)],
            Self::ZoomOut => vec![shortcut(COMMAND, Key::Minus)],
            Self::TidyLayout => vec![shortcut(COMMAND_SHIFT, Key::L)],
            Self::ToggleTheme
            | Self::ToggleControlNodes
            | Self::NewProfile
            | Self::ToggleLayoutDirection
            | Self::About => vec![],
            Self::Shortcuts => vec![shortcut(Modifiers::NONE, Key::F1)],
            Self::Quit => vec![shortcut(COMMAND, Key::Q)],
            Self::ToggleArchitectureView => vec![shortcut(COMMAND_SHIFT, Key::A)],
        }
    }

    /// True for commands that change the active document.
    #[must_use]
    pub fn edits_document(self) -> bool {
        matches!(
            self,
            Self::Undo | Self::Redo | Self::Delete | Self::TidyLayout
        )
    }

    /// True for commands whose shortcut must not fire while a text field has focus (there the
    /// keys edit text).
    #[must_use]
    pub fn yields_to_text(self) -> bool {
        matches!(self, Self::Delete | Self::SelectAll | Self::SelectNone)
    }
}
