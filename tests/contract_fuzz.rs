//! The contract fuzzed against the reference platform: for every path
//! that takes a body (POST, PUT), bodies are generated from the OpenAPI
//! document's own schemas — valid ones, and valid ones mutated (a field
//! dropped, a wrong type, a number past its bounds, a string too short or
//! long or off its pattern, an integer written 4.0, an unknown field) —
//! and each is judged by the schema (jsonschema, formats asserted), sent
//! to the real platform on 127.0.0.1, and its answer checked:
//!
//! - a body the schema takes is taken (2xx) or refused only for a
//!   business reason the document lists for the path (a documented 4xx
//!   with a problem document whose code is not `invalid_body`);
//! - a body the schema refuses is refused with a documented 4xx and a
//!   problem document, code `invalid_body`;
//! - an Idempotency-Key its parameter's schema refuses is refused 400
//!   `invalid_header`;
//! - nothing else: no 5xx, no dropped connection, no undocumented status.
//!
//! Deterministic (a fixed seed) and bounded (a few hundred requests a
//! path, a few seconds in all).

use std::time::Duration;

use serde_json::{Map, Value, json};
use tongban_platform::{Options, Platform};
use tongban_platform_api::application::IDEMPOTENCY_HEADER;
use tongban_platform_api::problem::Problem;

/// Requests per path: as many valid as mutated.
const PER_PATH: usize = 300;

/// The OpenAPI document (`platform-api/openapi.json`).
fn document() -> Value {
    tongban_platform::contract_document()
}

/// splitmix64: small, deterministic, good enough to pick with.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn hex32(&mut self) -> String {
        format!("{:016x}{:016x}", self.next(), self.next())
    }
}

/// Characters random strings are made of: ASCII, CJK, quotes, escapes.
const ALPHABET: &[char] = &[
    'a', 'Z', '0', '9', '-', '_', ' ', '"', '\\', '/', '\n', '\u{0}', '测', '试', '居', '民', 'é',
    '😀', '<', '{', '*',
];

struct Generator<'a> {
    doc: &'a Value,
    rng: Rng,
}

impl Generator<'_> {
    /// A schema with its `$ref` followed (local references only).
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        while let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let name = target
                .strip_prefix("#/components/schemas/")
                .expect("a local reference");
            schema = &self.doc["components"]["schemas"][name];
        }
        schema
    }

    fn random_string(&mut self, min: usize, max: usize) -> String {
        let len = min + self.rng.below(max.saturating_sub(min) + 1);
        (0..len).map(|_| *self.rng.pick(ALPHABET)).collect()
    }

    /// A value the schema should take (the judge decides).
    fn valid(&mut self, schema: &Value) -> Value {
        let schema = self.resolve(schema).clone();
        if let Some(c) = schema.get("const") {
            return c.clone();
        }
        if let Some(Value::Array(choices)) = schema.get("enum") {
            return self.rng.pick(choices).clone();
        }
        if let Some(Value::Array(branches)) = schema.get("oneOf") {
            let branch = self.rng.pick(branches).clone();
            return self.valid(&branch);
        }
        let types: Vec<String> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ => vec!["string".into()],
        };
        let kind = self.rng.pick(&types).clone();
        match kind.as_str() {
            "null" => Value::Null,
            "boolean" => Value::Bool(self.rng.chance(2)),
            "integer" => self.integer(&schema),
            "string" => self.string(&schema),
            "array" => {
                if let Some(Value::Array(prefix)) = schema.get("prefixItems") {
                    return Value::Array(prefix.clone().iter().map(|s| self.valid(s)).collect());
                }
                let min = schema["minItems"].as_u64().unwrap_or(0) as usize;
                let max = schema["maxItems"].as_u64().map_or(min + 3, |m| m as usize);
                let n = min + self.rng.below(max.min(min + 3) - min + 1);
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                Value::Array((0..n).map(|_| self.valid(&items)).collect())
            }
            "object" => {
                let mut map = Map::new();
                let required: Vec<String> = schema["required"]
                    .as_array()
                    .map(|r| {
                        r.iter()
                            .filter_map(|k| k.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(Value::Object(props)) = schema.get("properties") {
                    for (name, prop) in props {
                        if required.contains(name) || self.rng.chance(2) {
                            let value = self.valid(prop);
                            map.insert(name.clone(), value);
                        }
                    }
                }
                if let Some(extra @ Value::Object(_)) = schema.get("additionalProperties") {
                    for _ in 0..self.rng.below(3) {
                        let key = self.random_string(1, 8);
                        let value = self.valid(extra);
                        map.insert(key, value);
                    }
                }
                Value::Object(map)
            }
            other => panic!("a type the generator does not know: {other}"),
        }
    }

    fn integer(&mut self, schema: &Value) -> Value {
        let min = schema["minimum"].as_i64().unwrap_or(-1000) as i128;
        let max = schema["maximum"]
            .as_u64()
            .map(i128::from)
            .or_else(|| schema["maximum"].as_i64().map(i128::from))
            .unwrap_or(1000);
        let n = match self.rng.below(6) {
            0 => min,
            1 => max,
            _ => min + (self.rng.next() as i128 % (max - min + 1).min(50)),
        };
        // A zero fraction is still an integer.
        if self.rng.chance(4) && n.unsigned_abs() < (1 << 53) {
            return json!(n as f64);
        }
        if n < 0 {
            json!(n as i64)
        } else {
            json!(n as u64)
        }
    }

    fn string(&mut self, schema: &Value) -> Value {
        let examples = schema["examples"].as_array().cloned().unwrap_or_default();
        let patterned = schema.get("pattern").is_some() || schema.get("format").is_some();
        if !examples.is_empty() && (patterned || !self.rng.chance(3)) {
            return self.rng.pick(&examples).clone();
        }
        assert!(
            !patterned,
            "a pattern or format without examples to generate from: {schema}"
        );
        let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
        let max = schema["maxLength"]
            .as_u64()
            .map_or(min + 16, |m| m as usize);
        Value::String(self.random_string(min, max.min(min + 16)))
    }

    /// The value changed in one place, in one of the ways a terminal or a
    /// bug could get it wrong.
    fn mutate(&mut self, value: &mut Value) {
        let here = place(&mut self.rng, value);
        match self.rng.below(9) {
            0 => {
                if let Value::Object(map) = here
                    && !map.is_empty()
                {
                    let key = self
                        .rng
                        .pick(&map.keys().cloned().collect::<Vec<_>>())
                        .clone();
                    map.remove(&key);
                    return;
                }
                *here = Value::Null;
            }
            1 => {
                let key = self.random_string(1, 10);
                if let Value::Object(map) = here {
                    map.insert(key, json!("unknown"));
                } else {
                    *here = json!({ key: 1 });
                }
            }
            2 => {
                *here = self
                    .rng
                    .pick(&[
                        json!(null),
                        json!(true),
                        json!(0),
                        json!(-1),
                        json!(1.5),
                        json!("x"),
                        json!([]),
                        json!({}),
                    ])
                    .clone()
            }
            3 => {
                *here = self
                    .rng
                    .pick(&[
                        json!(4_294_967_296u64),
                        json!(18_446_744_073_709_551_615u64),
                        json!(1e30),
                        json!(-9_223_372_036_854_775_808i64),
                        json!(2.5),
                        json!(4.0),
                    ])
                    .clone()
            }
            4 => *here = json!(""),
            5 => *here = Value::String(self.random_string(200, 600)),
            6 => *here = Value::String(self.random_string(1, 12)),
            7 => {
                if let Some(n) = here.as_u64() {
                    *here = json!(n as f64);
                } else {
                    *here = json!(-1);
                }
            }
            _ => *here = json!("2026-13-45T25:61:00"),
        }
    }
}

/// A random place in `value`: itself, or somewhere inside.
fn place<'v>(rng: &mut Rng, value: &'v mut Value) -> &'v mut Value {
    let len = match &*value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    if len == 0 || rng.below(3) == 0 {
        return value;
    }
    let i = rng.below(len);
    match value {
        Value::Object(map) => match map.values_mut().nth(i) {
            Some(inner) => place(rng, inner),
            None => unreachable!("fewer values than counted"),
        },
        Value::Array(items) => place(rng, &mut items[i]),
        other => other,
    }
}

/// The schema judge: the request body schema of `path`/`method`, with the
/// document's components, formats asserted.
fn judge(doc: &Value, path: &str, method: &str) -> jsonschema::Validator {
    let mut root =
        doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone();
    root.as_object_mut()
        .expect("a schema object")
        .insert("components".into(), doc["components"].clone());
    jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .expect("the request schema builds")
}

/// What went wrong with one request, for the report.
fn verdict(
    doc: &Value,
    path: &str,
    method: &str,
    valid: bool,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> Result<(), String> {
    let documented = doc["paths"][path][method]["responses"]
        .get(status.to_string())
        .is_some();
    if !documented {
        return Err(format!("HTTP {status} is not documented"));
    }
    if (200..300).contains(&status) {
        return if valid {
            Ok(())
        } else {
            Err(format!("HTTP {status} for a body the schema refuses"))
        };
    }
    if !(400..500).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let Some(problem) = Problem::from_response(status, Some(content_type), body) else {
        return Err(format!("HTTP {status} without a problem document"));
    };
    match (valid, problem.code.as_str()) {
        (true, "invalid_body") => Err(format!(
            "HTTP {status} invalid_body for a body the schema takes: {}",
            problem.detail
        )),
        (true, _) => Ok(()),
        (false, "invalid_body") => Ok(()),
        (false, code) => Err(format!(
            "HTTP {status} {code} for a body the schema refuses (invalid_body expected)"
        )),
    }
}

/// Every POST and PUT path of the document, fuzzed. Fails on e372035: the
/// platform took ratings without `application_no` or with an empty
/// terminal, refused integers written 4.0, and its refusals were not
/// problem documents.
#[tokio::test]
async fn the_platform_takes_what_the_contract_takes_and_refuses_the_rest() {
    let doc = document();
    let dir = tempfile::tempdir().unwrap();
    let platform = Platform::start(Options::sample_in(dir.path()).unwrap()).unwrap();
    assert!(platform.addr().ip().is_loopback());
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let base = platform.url();
    // A session of the demo resident, for the calls that need one.
    let session: Value = http
        .post(format!("{base}/v1/sessions"))
        .json(&json!({"kind": "suishenma", "token": "ZGVtby1yZXNpZGVudC0wMDAx"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();

    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["post", "put"] {
            if item[method]["requestBody"].is_object() {
                operations.push((path.clone(), method));
            }
        }
    }
    assert_eq!(operations.len(), 7, "{operations:?}");
    // Tickets first, so that print results find one to close.
    operations.sort_by_key(|(path, _)| path != "/v1/print-tickets");

    let mut generator = Generator {
        doc: &doc,
        rng: Rng(0x7e57_0b4d_c0de_2026),
    };
    let mut failures = Vec::new();
    for (path, method) in &operations {
        let schema =
            doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
                .clone();
        let validator = judge(&doc, path, method);
        // The Idempotency-Key, where the path takes one, judged by its
        // parameter's schema.
        let key_judge = doc["paths"][path][method]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "Idempotency-Key"))
            .map(|p| jsonschema::validator_for(&p["schema"]).expect("the key's schema builds"));
        let (mut taken, mut refused) = (0, 0);
        let mut answers = std::collections::BTreeMap::<(bool, u16), usize>::new();
        for n in 0..PER_PATH {
            let mut body = generator.valid(&schema);
            if n % 2 == 1 {
                generator.mutate(&mut body);
            }
            let valid = validator.is_valid(&body);
            if valid {
                taken += 1;
            } else {
                refused += 1;
            }
            let at = match path.as_str() {
                "/v1/terminals/{id}/heartbeat" => {
                    // The path names the body's terminal, when it is one.
                    let id = body["terminal"]
                        .as_str()
                        .filter(|t| {
                            (3..=32).contains(&t.len())
                                && t.bytes().all(|b| {
                                    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'
                                })
                        })
                        .unwrap_or("SH-PD-0001-01");
                    format!("/v1/terminals/{id}/heartbeat")
                }
                "/v1/fleet/bundles/{scope}" => "/v1/fleet/bundles/fleet".into(),
                other => other.to_owned(),
            };
            // Mostly a good key; sometimes one its schema refuses.
            let mut key = generator.rng.hex32();
            if key_judge.is_some() && generator.rng.chance(10) {
                let bad = [
                    key.to_uppercase(),
                    key[..31].to_owned(),
                    format!("{key}0"),
                    "SH-PD-0001-01-1".to_owned(),
                    String::new(),
                ];
                key = generator.rng.pick(&bad).clone();
            }
            let key_taken = key_judge.as_ref().is_none_or(|j| j.is_valid(&json!(key)));
            let url = format!("{base}{at}");
            let request = match *method {
                "put" => http.put(&url),
                _ => http.post(&url),
            }
            .header(IDEMPOTENCY_HEADER, &key)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&body).unwrap());
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{method} {at}: no answer ({e}) to {body}"));
                    continue;
                }
            };
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let answer = response.bytes().await.unwrap_or_default();
            *answers.entry((valid, status)).or_default() += 1;
            let judged = if key_taken {
                verdict(&doc, path, method, valid, status, &content_type, &answer)
            } else {
                // A key the contract refuses is refused first: 400.
                match Problem::from_response(status, Some(&content_type), &answer) {
                    Some(p) if status == 400 && p.code == "invalid_header" => Ok(()),
                    _ => Err(format!(
                        "HTTP {status} for the key {key:?} (400 invalid_header expected)"
                    )),
                }
            };
            if let Err(why) = judged {
                failures.push(format!(
                    "{method} {at} ({}): {why}\n    {body}",
                    if valid { "valid" } else { "invalid" }
                ));
            }
        }
        println!("{method} {path}: (schema takes it, HTTP status) × n: {answers:?}");
        // Both sides of the line were tried.
        assert!(
            taken >= PER_PATH / 4 && refused >= PER_PATH / 8,
            "{method} {path}: {taken} valid, {refused} invalid bodies generated"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} requests disagree with the contract:\n{}",
        failures.len(),
        operations.len() * PER_PATH,
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The disagreements found before the fuzzer, each judged by the schema
/// and answered by the platform as it judges. Fails on e372035: a rating
/// without `application_no` and with an empty terminal and item was
/// taken (201); integers written 4.0 were refused; a bundle payload that
/// is not base64 and a heartbeat for another terminal than its path were
/// allowed by the document but refused by the platform.
#[tokio::test]
async fn the_cases_found_are_agreed() {
    let doc = document();
    let dir = tempfile::tempdir().unwrap();
    let platform = Platform::start(Options::sample_in(dir.path()).unwrap()).unwrap();
    let http = reqwest::Client::new();
    let base = platform.url();
    let n = std::cell::Cell::new(0u32);
    let send = async |method: &str, at: &str, body: Value| {
        n.set(n.get() + 1);
        let url = format!("{base}{at}");
        let request = if method == "put" {
            http.put(url)
        } else {
            http.post(url)
        };
        let response = request
            .header(IDEMPOTENCY_HEADER, format!("{:032x}", n.get()))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let ct = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = response.bytes().await.unwrap();
        (status, Problem::from_response(status, Some(&ct), &bytes))
    };
    let rating = json!({
        "terminal": "SH-PD-0001-01", "application_no": null, "item": "residence-03",
        "score": 5, "reasons": [], "rated_at": "2026-11-24T21:05:00+08:00"
    });
    let judge_rating = judge(&doc, "/v1/ratings", "post");
    assert!(judge_rating.is_valid(&rating));
    assert_eq!(send("post", "/v1/ratings", rating.clone()).await.0, 201);
    // Without application_no, with an empty terminal or item: refused by
    // both.
    let mut without = rating.clone();
    without.as_object_mut().unwrap().remove("application_no");
    let mut empty_terminal = rating.clone();
    empty_terminal["terminal"] = json!("");
    let mut empty_item = rating.clone();
    empty_item["item"] = json!("");
    for body in [without, empty_terminal, empty_item] {
        assert!(!judge_rating.is_valid(&body), "{body}");
        let (status, problem) = send("post", "/v1/ratings", body.clone()).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(problem.unwrap().code, "invalid_body");
    }
    // A score written 4.0 is an integer to both.
    let mut float = rating.clone();
    float["score"] = json!(4.0);
    assert!(judge_rating.is_valid(&float));
    assert_eq!(send("post", "/v1/ratings", float).await.0, 201);

    // A bundle payload that is not base64: refused by both.
    let file = json!({
        "format": "tongban-config-bundle/1",
        "payload": "not base64!",
        "signature": format!("{}==", "A".repeat(86)),
    });
    assert!(!judge(&doc, "/v1/fleet/bundles/{scope}", "put").is_valid(&file));
    let (status, problem) = send("put", "/v1/fleet/bundles/fleet", file).await;
    assert_eq!(status, 400);
    assert_eq!(problem.unwrap().code, "invalid_body");

    // A heartbeat for another terminal than its path: a documented 400
    // of its own, not a body the schema refuses.
    let beat = json!({
        "terminal": "SH-PD-0001-01", "at": "2026-11-24T21:00:00+08:00",
        "catalogue_version": 1.0, "devices": [], "supplies": [], "outbox_depth": 0.0
    });
    assert!(judge(&doc, "/v1/terminals/{id}/heartbeat", "post").is_valid(&beat));
    assert_eq!(
        send(
            "post",
            "/v1/terminals/SH-PD-0001-01/heartbeat",
            beat.clone()
        )
        .await
        .0,
        200
    );
    let (status, problem) = send("post", "/v1/terminals/SH-PD-0002-01/heartbeat", beat).await;
    assert_eq!(status, 400);
    assert_eq!(problem.unwrap().code, "path_mismatch");
}
