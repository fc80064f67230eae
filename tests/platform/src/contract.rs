//! The contract's request schemas (`platform-api/openapi.json`), which
//! every request body is held to before it is read: a body the document
//! refuses is refused (code `invalid_body`, with the status the document
//! gives the path), and one it takes is read — the platform and its
//! contract agree exactly on what is a request. `format` keywords are
//! assertions (a `date-time` must be one), and an integer may be written
//! with a zero fraction (`4.0`), as JSON Schema counts it an integer.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The contract, built into the platform.
const DOCUMENT: &str = include_str!("../../../platform-api/openapi.json");

/// The contract document, parsed: what the tests hold the platform's and
/// the kiosk's messages to.
pub fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("the built-in OpenAPI document is JSON")
}

/// The request bodies the platform takes, by schema name.
const BODIES: [&str; 7] = [
    "Heartbeat",
    "Application",
    "Rating",
    "Identification",
    "TicketRequest",
    "PrintResult",
    "BundleFile",
];

/// A validator per request body schema.
pub(crate) struct Contract {
    validators: HashMap<&'static str, jsonschema::Validator>,
}

impl Contract {
    /// The schemas of the built-in document.
    pub(crate) fn load() -> Result<Self, String> {
        let doc: Value = serde_json::from_str(DOCUMENT).map_err(|e| e.to_string())?;
        let mut validators = HashMap::new();
        for name in BODIES {
            let root = serde_json::json!({
                "$ref": format!("#/components/schemas/{name}"),
                "components": doc["components"],
            });
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&root)
                .map_err(|e| format!("schema {name}: {e}"))?;
            validators.insert(name, validator);
        }
        Ok(Self { validators })
    }

    /// `body` as a `T` when it is the `schema` document of the contract;
    /// otherwise the sentence for the refusal, which says where and which
    /// rule, never the values (they may be personal data).
    pub(crate) fn read<T: DeserializeOwned>(&self, schema: &str, body: &[u8]) -> Result<T, String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
        let validator = self
            .validators
            .get(schema)
            .ok_or_else(|| format!("no schema {schema}"))?;
        if let Some(error) = validator.iter_errors(&value).next() {
            let at = error.instance_path().to_string();
            return Err(format!(
                "not a {schema}: {} breaks {}",
                if at.is_empty() {
                    "the body"
                } else {
                    at.as_str()
                },
                error.schema_path()
            ));
        }
        serde_json::from_value(integral(value)).map_err(|_| format!("not a {schema}"))
    }
}

/// Numbers without a fraction as integers: JSON Schema takes `4.0` as
/// the integer 4, and so does the platform.
fn integral(value: Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() != 0.0 {
                Value::Number(n)
            } else if (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                Value::from(f as u64)
            } else if (-9_223_372_036_854_775_808.0..0.0).contains(&f) {
                Value::from(f as i64)
            } else {
                Value::Number(n)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(integral).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, integral(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_body_schema_builds_and_integers_may_have_a_zero_fraction() {
        let contract = Contract::load().unwrap();
        let result: tongban_platform_api::licence::PrintResult = contract
            .read(
                "PrintResult",
                br#"{"ticket": "TK00000001", "printed": 2.0, "failed": 0, "outcome": "printed"}"#,
            )
            .unwrap();
        assert_eq!(result.printed, 2);
        let refused = contract
            .read::<tongban_platform_api::licence::PrintResult>(
                "PrintResult",
                br#"{"ticket": "TK00000001", "printed": 2.5, "outcome": "printed"}"#,
            )
            .unwrap_err();
        assert!(refused.contains("/printed"), "{refused}");
        assert!(
            !refused.contains("2.5"),
            "no values in the sentence: {refused}"
        );
    }
}
