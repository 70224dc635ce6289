//! The patient-safety rules: the `flow`, `impact` and `pivot` entries, realized flows citing
//! a public account, patient-safety flows stating origin, category and an impact, and use
//! cases (their entry, and with the library's flows, their chain).

use crate::diagnostic::{Code, Diagnostic};
use crate::extension::{self, Entry};
use crate::kind::DocumentKind;
use crate::model::{Document, StixObject};
use crate::safety::{
    ChainProblem, Origin, UseCase, chain_problems, entry_problems, flow_meta, has_public_reference,
    impact_of, use_case_entry,
};

pub(crate) fn check(
    document: &Document,
    kind: DocumentKind,
    flows: Option<&[Document]>,
    out: &mut Vec<Diagnostic>,
) {
    for object in &document.objects {
        for problem in entry_problems(object) {
            out.push(Diagnostic::object(
                Code::SafetyEntryInvalid,
                object.id(),
                problem,
            ));
        }
    }
    match kind {
        DocumentKind::Flow => check_flow(document, out),
        DocumentKind::UseCase => check_use_case(document, flows, out),
        _ => {}
    }
}

fn check_flow(document: &Document, out: &mut Vec<Diagnostic>) {
    let Some(flow) = document
        .objects
        .iter()
        .find(|object| matches!(object, StixObject::AttackFlow(_)))
    else {
        return;
    };
    let meta = flow_meta(flow);
    if meta.origin == Some(Origin::Realized) && !has_public_reference(flow) {
        out.push(Diagnostic::object(
            Code::FlowRealizedUnreferenced,
            flow.id(),
            "the flow is marked realized but cites no public account of the attack: add an external reference with its URL",
        ));
    }
    if extension::entry(flow, Entry::Flow).is_none() {
        return;
    }
    if meta.origin.is_none() {
        out.push(Diagnostic::object(
            Code::FlowOriginMissing,
            flow.id(),
            "say whether the flow is realized (done to a hospital, with a public account) or theoretical",
        ));
    }
    if meta.category.is_none() {
        out.push(Diagnostic::object(
            Code::FlowCategoryMissing,
            flow.id(),
            "name the flow's category",
        ));
    }
    if !document
        .objects
        .iter()
        .any(|object| impact_of(object).is_some())
    {
        out.push(Diagnostic::object(
            Code::FlowNoImpact,
            flow.id(),
            "no action of the flow states its patient-safety impact",
        ));
    }
}

fn check_use_case(document: &Document, flows: Option<&[Document]>, out: &mut Vec<Diagnostic>) {
    for object in &document.objects {
        let Some(entry) = use_case_entry(object) else {
            continue;
        };
        let problems = UseCase::entry_problems(entry);
        for problem in &problems {
            out.push(Diagnostic::object(
                Code::UseCaseInvalid,
                object.id(),
                problem.clone(),
            ));
        }
        let listed = entry.get("flows");
        if problems.is_empty() && object.to_json().get("object_refs") != listed {
            out.push(Diagnostic::object(
                Code::UseCaseInvalid,
                object.id(),
                "object_refs must list the use case's flows, in the order of its use_case entry",
            ));
        }
    }
    let (Some(flows), Ok(use_case)) = (flows, UseCase::from_document(document)) else {
        return;
    };
    let library: Vec<&Document> = flows.iter().collect();
    for problem in chain_problems(&use_case, &library) {
        let code = match problem {
            ChainProblem::FlowMissing { .. } => Code::UseCaseFlowMissing,
            ChainProblem::Unconnected { .. } => Code::UseCaseUnconnected,
            ChainProblem::DanglingKey { .. } => Code::UseCaseKeyDangling,
        };
        out.push(Diagnostic::object(code, &use_case.id, problem.message()));
    }
}
