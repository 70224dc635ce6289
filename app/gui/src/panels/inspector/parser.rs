//! How a buffered inspector field turns the text being typed into a property value and
//! back: timestamps, comma-separated lists, bounded numbers and JSON.

use medflow_core::model::Timestamp;
use serde_json::Value;

/// How a buffered field turns text into a value and back.
#[derive(Debug, Clone, Copy)]
pub(super) enum Parser {
    /// An RFC 3339 timestamp, sent in canonical form.
    Timestamp,
    /// A comma-separated list of strings.
    List,
    /// An integer within bounds.
    Integer(Option<i64>, Option<i64>),
    /// A number within bounds.
    Number(f64, f64),
    /// Any JSON value.
    Json,
}

impl Parser {
    /// Distinguishes buffers and widget ids of two editors of one property.
    pub(super) fn tag(self) -> &'static str {
        match self {
            Self::Timestamp => "timestamp",
            Self::List => "list",
            Self::Integer(..) | Self::Number(..) => "number",
            Self::Json => "json",
        }
    }

    pub(super) fn hint(self) -> &'static str {
        match self {
            Self::Timestamp => "2024-05-01T12:00:00.000Z",
            Self::List => "first, second",
            Self::Integer(..) | Self::Number(..) => "number",
            Self::Json => "JSON value",
        }
    }

    /// The text shown for a value: JSON, except bare strings and comma-separated lists.
    pub(super) fn format(self, value: &Value) -> String {
        match (self, value) {
            (Self::Timestamp | Self::List, Value::String(text)) => text.clone(),
            (Self::List, Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            _ => value.to_string(),
        }
    }

    /// The value for `text`: `Ok(None)` removes the property (empty text, when allowed);
    /// `Err` explains why the text is not sent.
    pub(super) fn parse(self, text: &str, allow_empty: bool) -> Result<Option<Value>, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() && !matches!(self, Self::List) {
            return if allow_empty {
                Ok(None)
            } else {
                Err("A value is required.".to_owned())
            };
        }
        match self {
            Self::Timestamp => Timestamp::parse(trimmed)
                .map(|parsed| Some(Value::String(parsed.timestamp.to_string())))
                .ok_or_else(|| {
                    "Not an RFC 3339 timestamp, e.g. 2024-05-01T12:00:00.000Z".to_owned()
                }),
            Self::List => {
                let items: Vec<Value> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| Value::String(item.to_owned()))
                    .collect();
                match (items.is_empty(), allow_empty) {
                    (false, _) => Ok(Some(Value::Array(items))),
                    (true, true) => Ok(None),
                    (true, false) => Err("At least one item is required.".to_owned()),
                }
            }
            Self::Integer(minimum, maximum) => {
                let number: i64 = trimmed
                    .parse()
                    .map_err(|_| "Not a whole number.".to_owned())?;
                if minimum.is_some_and(|minimum| number < minimum)
                    || maximum.is_some_and(|maximum| number > maximum)
                {
                    return Err(bounds_message(minimum, maximum));
                }
                Ok(Some(Value::from(number)))
            }
            Self::Number(minimum, maximum) => {
                let number: f64 = trimmed.parse().map_err(|_| "Not a number.".to_owned())?;
                if !(minimum..=maximum).contains(&number) {
                    return Err(format!("Must be between {minimum} and {maximum}."));
                }
                serde_json::Number::from_f64(number)
                    .map(|number| Some(Value::Number(number)))
                    .ok_or_else(|| "Not a finite number.".to_owned())
            }
            Self::Json => serde_json::from_str(trimmed)
                .map(Some)
                .map_err(|error| format!("Not valid JSON: {error}")),
        }
    }
}

/// "Must be at least 1.", "Must be between 1 and 9."…
fn bounds_message(minimum: Option<i64>, maximum: Option<i64>) -> String {
    match (minimum, maximum) {
        (Some(minimum), Some(maximum)) => format!("Must be between {minimum} and {maximum}."),
        (Some(minimum), None) => format!("Must be at least {minimum}."),
        (None, Some(maximum)) => format!("Must be at most {maximum}."),
        (None, None) => "Out of range.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::panels::inspector::humanize;

    #[test]
    fn parsers_accept_and_reject() {
        assert_eq!(Parser::Timestamp.parse("", true), Ok(None));
        assert!(Parser::Timestamp.parse("", false).is_err());
        assert_eq!(
            Parser::List.parse(" a, b ,, ", true),
            Ok(Some(json!(["a", "b"])))
        );
        assert_eq!(Parser::List.parse(" , ", true), Ok(None));
        assert_eq!(
            Parser::Integer(Some(1), Some(9)).parse("3", true),
            Ok(Some(json!(3)))
        );
        assert!(Parser::Integer(Some(1), Some(9)).parse("10", true).is_err());
        assert!(Parser::Number(-90.0, 90.0).parse("91.5", true).is_err());
        assert_eq!(Parser::Json.parse(" [1] ", false), Ok(Some(json!([1]))));
        assert_eq!(humanize("first_seen"), "First seen");
    }
}
