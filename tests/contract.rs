//! The contract (`platform-api/openapi.json`) against the running
//! reference platform: every endpoint the kiosk uses is called with the
//! kiosk's own request types, every request and response body is checked
//! against the document's schema, and every documented answer (but the
//! 5XX ones) is seen at least once.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use tongban_platform::{Options, Platform};
use tongban_platform_api::application::{Application, IDEMPOTENCY_HEADER, Rating};
use tongban_platform_api::problem::{self, Problem};
use tongban_platform_api::terminal::{
    Command, DeviceReport, DiskReport, Heartbeat, StaffAction, Supply,
};

/// The `n`th idempotency key of a test: 32 lowercase hex digits.
fn key(n: u32) -> String {
    format!("{n:032x}")
}

/// The OpenAPI document (`platform-api/openapi.json`).
fn document() -> Value {
    tongban_platform::contract_document()
}

/// Checks `instance` against a schema of the document (which may refer
/// to its components).
fn check(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    let mut root = schema.clone();
    if let Value::Object(map) = &mut root {
        map.insert("components".into(), doc["components"].clone());
    }
    let validator =
        jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("{what}: bad schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

struct Seen {
    doc: Value,
    seen: BTreeSet<(String, String, String)>,
}

impl Seen {
    /// Checks an answer against the document and remembers it was seen.
    fn answer(&mut self, path: &str, method: &str, status: u16, content_type: &str, body: &[u8]) {
        let operation = &self.doc["paths"][path][method];
        assert!(
            operation.is_object(),
            "{method} {path} is not in the document"
        );
        let response = &operation["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{method} {path} {status} is not in the document"
        );
        self.seen
            .insert((path.into(), method.into(), status.to_string()));
        let declared = &response["content"];
        if declared.is_null() {
            assert!(
                body.is_empty(),
                "{method} {path} {status} has a body the document does not"
            );
            return;
        }
        let media = content_type.split(';').next().unwrap_or("").trim();
        let schema = &declared[media]["schema"];
        assert!(
            schema.is_object(),
            "{method} {path} {status}: {media} is not documented"
        );
        if (400..500).contains(&status) {
            // Every refusal of the platform's own is a problem document.
            let problem =
                Problem::from_response(status, Some(content_type), body).unwrap_or_else(|| {
                    panic!(
                        "{method} {path} {status} is not a problem document: {content_type} {}",
                        String::from_utf8_lossy(body)
                    )
                });
            assert!(!problem.detail.is_empty(), "{method} {path} {status}");
        }
        let instance: Value = if media == "application/json" || media == problem::CONTENT_TYPE {
            serde_json::from_slice(body)
                .unwrap_or_else(|e| panic!("{method} {path} {status}: not JSON: {e}"))
        } else {
            Value::String(String::from_utf8_lossy(body).into_owned())
        };
        check(
            &self.doc,
            schema,
            &instance,
            &format!("{method} {path} {status}"),
        );
    }

    /// Checks a request body against the document.
    fn request(&self, path: &str, method: &str, body: &impl serde::Serialize) {
        let schema = &self.doc["paths"][path][method]["requestBody"]["content"]["application/json"]
            ["schema"];
        let instance = serde_json::to_value(body).unwrap();
        check(
            &self.doc,
            schema,
            &instance,
            &format!("{method} {path} request"),
        );
    }

    /// Every documented answer but 5XX was seen.
    fn all_seen(&self) {
        let mut declared = BTreeSet::new();
        for (path, item) in self.doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for status in op["responses"].as_object().unwrap().keys() {
                    if status != "5XX" {
                        declared.insert((path.clone(), method.clone(), status.clone()));
                    }
                }
            }
        }
        let missing: Vec<_> = declared.difference(&self.seen).collect();
        assert!(
            missing.is_empty(),
            "documented but never exercised: {missing:#?}"
        );
    }
}

async fn send(
    request: reqwest::RequestBuilder,
) -> (u16, String, Vec<u8>, reqwest::header::HeaderMap) {
    let response = request.send().await.expect("the platform answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.bytes().await.expect("a body").to_vec();
    (status, content_type, body, headers)
}

#[tokio::test]
async fn every_endpoint_the_kiosk_uses_answers_as_the_document_says() {
    let dir = tempfile::tempdir().unwrap();
    let platform = Platform::start(Options::sample_in(dir.path()).unwrap()).unwrap();
    let http = reqwest::Client::builder()
        .gzip(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let url = |p: &str| format!("{}{p}", platform.url());
    let mut seen = Seen {
        doc: document(),
        seen: BTreeSet::new(),
    };

    // The catalogue, then the same again conditionally.
    let (status, ct, body, headers) = send(http.get(url("/v1/catalogue"))).await;
    seen.answer("/v1/catalogue", "get", status, &ct, &body);
    for header in ["etag", "x-signature", "x-catalogue-version"] {
        assert!(headers.contains_key(header), "200 without {header}");
    }
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, ct, body, headers) = send(
        http.get(url("/v1/catalogue"))
            .header("If-None-Match", &etag),
    )
    .await;
    assert_eq!(status, 304);
    assert!(headers.contains_key("etag"));
    seen.answer("/v1/catalogue", "get", status, &ct, &body);

    // A heartbeat as the kiosk sends it, with a command waiting.
    let path = "/v1/terminals/{id}/heartbeat";
    let beat = Heartbeat {
        terminal: "SH-PD-0001-01".into(),
        at: "2026-11-24T21:00:00+08:00".into(),
        catalogue_version: Some(1),
        district: Some("PD".into()),
        branch: Some("SH-PD-0001".into()),
        config: Vec::new(),
        config_problem: None,
        devices: vec![DeviceReport {
            kind: "a4_printer".into(),
            state: "user_error".into(),
            detail: Some("paper_out".into()),
        }],
        supplies: vec![Supply {
            name: "a4_sheets".into(),
            remaining: 0,
        }],
        outbox_depth: 3,
        staff_actions: vec![StaffAction {
            at: "2026-11-24T20:55:00+08:00".into(),
            staff: "S-0042".into(),
            action: "out_of_service".into(),
            detail: "a4 printer paper out".into(),
        }],
        disk: Some(DiskReport {
            free_mb: 180,
            total_mb: 65_536,
            low: true,
        }),
    };
    seen.request(path, "post", &beat);
    platform
        .queue_command(
            "SH-PD-0001-01",
            &Command::OutOfService {
                reason_zh: "系统升级".into(),
                reason_en: "System upgrade".into(),
            },
        )
        .unwrap();
    let (status, ct, body, _) = send(
        http.post(url("/v1/terminals/SH-PD-0001-01/heartbeat"))
            .json(&beat),
    )
    .await;
    assert_eq!(status, 200);
    seen.answer(path, "post", status, &ct, &body);
    let (status, ct, body, _) = send(
        http.post(url("/v1/terminals/SH-OTHER-01/heartbeat"))
            .json(&beat),
    )
    .await;
    assert_eq!(status, 400);
    seen.answer(path, "post", status, &ct, &body);

    // An application, again under the same key, without a key, and junk.
    let app = Application {
        terminal: "SH-PD-0001-01".into(),
        resident: "R-DEMO-0001".into(),
        item: "residence-03".into(),
        fields: vec![("phone".into(), "13800000000".into())],
        submitted_at: "2026-11-24T21:00:00+08:00".into(),
    };
    seen.request("/v1/applications", "post", &app);
    let post = || http.post(url("/v1/applications"));
    let (status, ct, body, _) = send(post().header(IDEMPOTENCY_HEADER, key(1)).json(&app)).await;
    assert_eq!(status, 201);
    seen.answer("/v1/applications", "post", status, &ct, &body);
    let first: Value = serde_json::from_slice(&body).unwrap();
    let number = first["application_no"].as_str().unwrap().to_owned();
    platform.set_progress(&number, "in_review").unwrap();
    let own = session_token(&http, &platform.url()).await;
    let (status, ct, body, _) = send(
        http.get(url(&format!("/v1/applications/{number}")))
            .bearer_auth(&own),
    )
    .await;
    assert_eq!(status, 200);
    seen.answer("/v1/applications/{no}", "get", status, &ct, &body);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["state"],
        "in_review"
    );
    let (status, ct, body, _) = send(
        http.get(url("/v1/applications/SH9999999999"))
            .bearer_auth(&own),
    )
    .await;
    assert_eq!(status, 404);
    seen.answer("/v1/applications/{no}", "get", status, &ct, &body);
    let (status, ct, body, _) = send(post().header(IDEMPOTENCY_HEADER, key(1)).json(&app)).await;
    assert_eq!(status, 200);
    seen.answer("/v1/applications", "post", status, &ct, &body);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), first);
    let (status, ct, body, _) = send(post().json(&app)).await;
    assert_eq!(status, 400);
    seen.answer("/v1/applications", "post", status, &ct, &body);
    let (status, ct, body, _) = send(
        post()
            .header(IDEMPOTENCY_HEADER, key(2))
            .header("content-type", "application/json")
            .body("{\"not\": \"an application\"}"),
    )
    .await;
    assert_eq!(status, 422);
    seen.answer("/v1/applications", "post", status, &ct, &body);

    // A rating, the same ways.
    let rating = Rating {
        terminal: "SH-PD-0001-01".into(),
        application_no: first["application_no"].as_str().map(str::to_owned),
        item: "residence-03".into(),
        score: 5,
        reasons: vec!["fast".into()],
        rated_at: "2026-11-24T21:05:00+08:00".into(),
    };
    seen.request("/v1/ratings", "post", &rating);
    let rate = || http.post(url("/v1/ratings"));
    let (status, ct, body, _) = send(rate().header(IDEMPOTENCY_HEADER, key(3)).json(&rating)).await;
    assert_eq!(status, 201);
    seen.answer("/v1/ratings", "post", status, &ct, &body);
    let (status, ct, body, _) = send(rate().header(IDEMPOTENCY_HEADER, key(3)).json(&rating)).await;
    assert_eq!(status, 200);
    seen.answer("/v1/ratings", "post", status, &ct, &body);
    let (status, ct, body, _) = send(rate().json(&rating)).await;
    assert_eq!(status, 400);
    seen.answer("/v1/ratings", "post", status, &ct, &body);
    let bad = Rating {
        score: 9,
        ..rating.clone()
    };
    let (status, ct, body, _) = send(rate().header(IDEMPOTENCY_HEADER, key(4)).json(&bad)).await;
    assert_eq!(status, 422);
    seen.answer("/v1/ratings", "post", status, &ct, &body);
    assert_eq!(platform.ratings().len(), 1);

    // Resident sessions: the demo card, the demo 随申码, a stranger, junk.
    use tongban_platform_api::resident::Identification;
    let card = Identification::IdCard {
        number: "11010519491231002X".into(),
        name: "测试居民甲".into(),
    };
    seen.request("/v1/sessions", "post", &card);
    let (status, ct, body, _) = send(http.post(url("/v1/sessions")).json(&card)).await;
    assert_eq!(status, 200);
    seen.answer("/v1/sessions", "post", status, &ct, &body);
    let session: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(session["resident"], "R-DEMO-0001");
    assert_eq!(session["masked_name"], "测***甲");
    let code = Identification::Suishenma {
        token: "ZGVtby1yZXNpZGVudC0wMDAx".into(),
    };
    let (status, ct, body, _) = send(http.post(url("/v1/sessions")).json(&code)).await;
    assert_eq!(status, 200);
    seen.answer("/v1/sessions", "post", status, &ct, &body);
    let stranger = Identification::IdCard {
        number: "110105194912310000".into(),
        name: "无此人".into(),
    };
    let (status, ct, body, _) = send(http.post(url("/v1/sessions")).json(&stranger)).await;
    assert_eq!(status, 404);
    seen.answer("/v1/sessions", "post", status, &ct, &body);
    let (status, ct, body, _) = send(
        http.post(url("/v1/sessions"))
            .header("content-type", "application/json")
            .body("{\"kind\": \"fingerprint\"}"),
    )
    .await;
    assert_eq!(status, 422);
    seen.answer("/v1/sessions", "post", status, &ct, &body);

    // The resident's own data, under their session's token only.
    let token = session["token"].as_str().unwrap().to_owned();
    let other = Identification::IdCard {
        number: "440524188001010014".into(),
        name: "测试居民乙".into(),
    };
    let (_, _, body, _) = send(http.post(url("/v1/sessions")).json(&other)).await;
    let other_token = serde_json::from_slice::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for (path, template) in [
        (
            "/v1/residents/R-DEMO-0001/licences",
            "/v1/residents/{id}/licences",
        ),
        (
            "/v1/residents/R-DEMO-0001/applications",
            "/v1/residents/{id}/applications",
        ),
    ] {
        let (status, ct, body, _) = send(http.get(url(path))).await;
        assert_eq!(status, 401);
        seen.answer(template, "get", status, &ct, &body);
        let (status, ct, body, _) = send(http.get(url(path)).bearer_auth(&other_token)).await;
        assert_eq!(status, 403);
        seen.answer(template, "get", status, &ct, &body);
    }
    // The progress of one application, the same way.
    let at = url(&format!("/v1/applications/{number}"));
    let (status, ct, body, _) = send(http.get(&at)).await;
    assert_eq!(status, 401);
    seen.answer("/v1/applications/{no}", "get", status, &ct, &body);
    let (status, ct, body, _) = send(http.get(&at).bearer_auth(&other_token)).await;
    assert_eq!(status, 403);
    seen.answer("/v1/applications/{no}", "get", status, &ct, &body);
    let (status, ct, body, _) = send(
        http.get(url("/v1/residents/R-DEMO-0001/applications"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200);
    seen.answer("/v1/residents/{id}/applications", "get", status, &ct, &body);
    let list: Value = serde_json::from_slice(&body).unwrap();
    // The sample ones, and the one submitted above (now in review).
    assert_eq!(list.as_array().unwrap().len(), 3);

    // The resident's licences, and tickets until the day's quota is used.
    let (status, ct, body, _) = send(
        http.get(url("/v1/residents/R-DEMO-0001/licences"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200);
    seen.answer("/v1/residents/{id}/licences", "get", status, &ct, &body);
    let list: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(list[0]["name"]["zh"], "上海市居住证");
    assert_eq!(list[0]["status"], "valid");
    let status_of = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id)
            .map(|l| l["status"].clone())
    };
    assert_eq!(status_of("LIC-0008"), Some("expired".into()));
    assert_eq!(status_of("LIC-0009"), Some("revoked".into()));
    use tongban_platform_api::licence::TicketRequest;
    let ask = |copies: u32, licence: &str| TicketRequest {
        terminal: "SH-PD-0001-01".into(),
        resident: "R-DEMO-0001".into(),
        licence: licence.into(),
        purpose: "办理入学手续".into(),
        copies,
    };
    seen.request("/v1/print-tickets", "post", &ask(2, "LIC-0001"));
    let (status, ct, body, _) = send(
        http.post(url("/v1/print-tickets"))
            .json(&ask(1, "LIC-0001")),
    )
    .await;
    assert_eq!(status, 401);
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    let (status, ct, body, _) = send(
        http.post(url("/v1/print-tickets"))
            .bearer_auth(&other_token)
            .json(&ask(1, "LIC-0001")),
    )
    .await;
    assert_eq!(status, 403);
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    let tickets = || http.post(url("/v1/print-tickets")).bearer_auth(&token);
    let (status, ct, body, _) = send(tickets().json(&ask(2, "LIC-0001"))).await;
    assert_eq!(status, 201);
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    let ticket: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(ticket["copies"], 2);

    // Another resident's licence, under their own session: not found.
    let theirs = TicketRequest {
        resident: "R-DEMO-0002".into(),
        ..ask(1, "LIC-0001")
    };
    let (status, ct, body, _) = send(
        http.post(url("/v1/print-tickets"))
            .bearer_auth(&other_token)
            .json(&theirs),
    )
    .await;
    assert_eq!(status, 404);
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    // Expired and revoked licences print nothing.
    for id in ["LIC-0008", "LIC-0009"] {
        let (status, ct, body, _) = send(tickets().json(&ask(1, id))).await;
        assert_eq!(status, 410, "{id}");
        seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    }

    // Its result, the same again, a different one, an unknown ticket, junk.
    use tongban_platform_api::licence::PrintResult;
    let result = PrintResult {
        ticket: ticket["ticket"].as_str().unwrap().into(),
        printed: 1,
        failed: 1,
        outcome: "failed".into(),
    };
    seen.request("/v1/print-results", "post", &result);
    let results = |n: u32| {
        http.post(url("/v1/print-results"))
            .header(IDEMPOTENCY_HEADER, key(n))
    };
    for _ in 0..2 {
        let (status, ct, body, _) = send(results(10).json(&result)).await;
        assert_eq!(status, 204);
        seen.answer("/v1/print-results", "post", status, &ct, &body);
    }
    let other = PrintResult {
        printed: 2,
        failed: 0,
        outcome: "printed".into(),
        ..result.clone()
    };
    let (status, ct, body, _) = send(results(11).json(&other)).await;
    assert_eq!(status, 409);
    seen.answer("/v1/print-results", "post", status, &ct, &body);
    let unknown = PrintResult {
        ticket: "TK99999999".into(),
        ..result.clone()
    };
    let (status, ct, body, _) = send(results(12).json(&unknown)).await;
    assert_eq!(status, 404);
    seen.answer("/v1/print-results", "post", status, &ct, &body);
    let junk = PrintResult {
        outcome: "lost".into(),
        ..result.clone()
    };
    let (status, ct, body, _) = send(results(13).json(&junk)).await;
    assert_eq!(status, 422);
    seen.answer("/v1/print-results", "post", status, &ct, &body);
    let (status, ct, body, _) = send(http.post(url("/v1/print-results")).json(&result)).await;
    assert_eq!(status, 400, "no Idempotency-Key");
    seen.answer("/v1/print-results", "post", status, &ct, &body);
    let too_many = PrintResult {
        printed: 3,
        failed: 0,
        ticket: "TK99999999".into(),
        outcome: "printed".into(),
    };
    let (status, _, _, _) = send(results(14).json(&PrintResult {
        ticket: ticket["ticket"].as_str().unwrap().into(),
        ..too_many
    }))
    .await;
    assert_eq!(status, 422, "more pages than the ticket allows");
    // Only the printed copy counts: two of three are left, and a ticket
    // holds them until its result.
    let (status, ct, body, _) = send(tickets().json(&ask(3, "LIC-0001"))).await;
    assert_eq!(status, 201);
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    let second: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(second["copies"], 2, "3 a day, 1 printed");
    let (status, ct, body, _) = send(tickets().json(&ask(1, "LIC-0001"))).await;
    assert_eq!(status, 429, "two are held by the open ticket");
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    // Cancelled: its copies come back.
    let cancelled = PrintResult {
        ticket: second["ticket"].as_str().unwrap().into(),
        printed: 0,
        failed: 0,
        outcome: "cancelled".into(),
    };
    let (status, _, _, _) = send(results(15).json(&cancelled)).await;
    assert_eq!(status, 204);
    let (status, _, body, _) = send(tickets().json(&ask(3, "LIC-0001"))).await;
    assert_eq!(status, 201);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["copies"], 2);
    let (status, ct, body, _) = send(tickets().json(&ask(1, "LIC-9999"))).await;
    assert_eq!(status, 404);
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);
    let (status, ct, body, _) = send(tickets().json(&ask(0, "LIC-0001"))).await;
    assert_eq!(status, 422);
    seen.answer("/v1/print-tickets", "post", status, &ct, &body);

    fleet(&http, &platform, &mut seen, &beat).await;
    mutual_tls(&mut seen, &beat, &app, &rating).await;

    seen.all_seen();
}

/// A platform requiring client certificates (its CA and certificates made
/// here): a terminal's certificate used to heartbeat, apply or rate as
/// another terminal gets the documented 403.
async fn mutual_tls(seen: &mut Seen, beat: &Heartbeat, app: &Application, rating: &Rating) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, SanType};
    let ca = {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
    };
    let leaf = |names: Vec<SanType>| {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.subject_alt_names = names;
        let cert = params.signed_by(&key, &ca).unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let (server_cert, server_key) = leaf(vec![SanType::IpAddress([127, 0, 0, 1].into())]);
    let dir = tempfile::tempdir().unwrap();
    let platform = Platform::start_tls(
        Options {
            port: 0,
            db: dir.path().join("platform.db"),
            ticket_ttl: tongban_platform::TICKET_TTL,
            catalogue: Options::sample_catalogue(Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets"
            )))
            .unwrap(),
        },
        tongban_platform::ServerTls {
            cert_chain: server_cert.into_bytes(),
            key: server_key.into_bytes(),
            client_ca: ca.pem().into_bytes(),
        },
    )
    .unwrap();
    let urn = format!("{}SH-PD-0001-01", tongban_platform::TERMINAL_URN);
    let (cert, key) = leaf(vec![SanType::URI(urn.as_str().try_into().unwrap())]);
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem().as_bytes()).unwrap())
        .identity(reqwest::Identity::from_pem(format!("{cert}{key}").as_bytes()).unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let url = |p: &str| format!("{}{p}", platform.url());
    let other = "SH-PD-0001-02";

    // Each as the kiosk would send it, but for the other terminal.
    let heartbeat = "/v1/terminals/{id}/heartbeat";
    let as_other: [(&str, String, Value); 3] = [
        (
            heartbeat,
            format!("/v1/terminals/{other}/heartbeat"),
            serde_json::to_value(Heartbeat {
                terminal: other.into(),
                ..beat.clone()
            })
            .unwrap(),
        ),
        ("/v1/applications", "/v1/applications".into(), {
            let mut other_app = app.clone();
            other_app.terminal = other.into();
            serde_json::to_value(&other_app).unwrap()
        }),
        (
            "/v1/ratings",
            "/v1/ratings".into(),
            serde_json::to_value(Rating {
                terminal: other.into(),
                ..rating.clone()
            })
            .unwrap(),
        ),
    ];
    for (n, (path, at, body)) in as_other.into_iter().enumerate() {
        let (status, ct, answer, _) = send(
            http.post(url(&at))
                .header(IDEMPOTENCY_HEADER, crate::key(100 + n as u32))
                .json(&body),
        )
        .await;
        assert_eq!(status, 403, "{path}");
        seen.answer(path, "post", status, &ct, &answer);
    }
    // A certificate that names no terminal: the calls a terminal makes
    // for its residents and itself are refused with the documented 403.
    let (cert, key) = leaf(Vec::new());
    let anonymous = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem().as_bytes()).unwrap())
        .identity(reqwest::Identity::from_pem(format!("{cert}{key}").as_bytes()).unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let card = serde_json::json!({"kind": "suishenma", "token": "ZGVtby1yZXNpZGVudC0wMDAx"});
    let result = serde_json::json!({"ticket": "TK00000001", "printed": 1, "outcome": "printed"});
    for (template, request) in [
        (
            "/v1/sessions",
            anonymous.post(url("/v1/sessions")).json(&card),
        ),
        (
            "/v1/print-results",
            anonymous
                .post(url("/v1/print-results"))
                .header(IDEMPOTENCY_HEADER, "0123456789abcdef0123456789abcdef")
                .json(&result),
        ),
    ] {
        let (status, ct, body, _) = send(request).await;
        assert_eq!(status, 403, "{template}");
        seen.answer(template, "post", status, &ct, &body);
        let problem = Problem::from_response(status, Some(&ct), &body).unwrap();
        assert_eq!(problem.code, "wrong_terminal");
    }
    for (template, at) in [
        ("/v1/applications/{no}", "/v1/applications/SH0000000001"),
        ("/v1/fleet/bundles/{scope}", "/v1/fleet/bundles/fleet"),
    ] {
        let (status, ct, body, _) = send(anonymous.get(url(at)).bearer_auth("x")).await;
        assert_eq!(status, 403, "{template}");
        seen.answer(template, "get", status, &ct, &body);
    }

    // Its own heartbeat is taken.
    let (status, ct, body, _) = send(
        http.post(url("/v1/terminals/SH-PD-0001-01/heartbeat"))
            .json(beat),
    )
    .await;
    assert_eq!(status, 200);
    seen.answer(heartbeat, "post", status, &ct, &body);
}

/// Fleet config: pushing signed bundles (and the refusals), serving them
/// conditionally, the heartbeat's `sync_config`, and the fleet view.
async fn fleet(http: &reqwest::Client, platform: &Platform, seen: &mut Seen, beat: &Heartbeat) {
    use std::collections::BTreeMap;
    use tongban_platform_api::fleet::{
        AppliedBundle, BundleFile, ConfigBundle, Scope, sample_fleet_signing_key,
    };
    let url = |p: &str| format!("{}{p}", platform.url());
    let path = "/v1/fleet/bundles/{scope}";
    let key = sample_fleet_signing_key();
    let branch = Scope::Branch("SH-PD-0001".into());
    let bundle = |scope: Scope, version: u64, expires_at: &str| ConfigBundle {
        scope,
        version,
        issued_at: "2026-11-24T09:00:00+08:00".into(),
        expires_at: expires_at.into(),
        files: BTreeMap::from([(
            "branch.toml".into(),
            "[service]\nhotline = \"021-12345\"\n".into(),
        )]),
    };
    let later = "2099-01-01T00:00:00+08:00";
    let file = BundleFile::seal(&key, &bundle(branch.clone(), 7, later));
    seen.request(path, "put", &file);
    let put = |scope: &str| http.put(url(&format!("/v1/fleet/bundles/{scope}")));
    let (status, ct, body, _) = send(put("branch:SH-PD-0001").json(&file)).await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    seen.answer(path, "put", status, &ct, &body);

    // Refusals: the same version again, another key, another scope than
    // the path, expired, not a bundle file, not a scope.
    let (status, ct, body, _) = send(put("branch:SH-PD-0001").json(&file)).await;
    assert_eq!(status, 409);
    seen.answer(path, "put", status, &ct, &body);
    let forged = BundleFile::seal(
        &tongban_platform_api::ed25519_dalek::SigningKey::from_bytes(&[9; 32]),
        &bundle(branch.clone(), 8, later),
    );
    let (status, ct, body, _) = send(put("branch:SH-PD-0001").json(&forged)).await;
    assert_eq!(status, 403);
    seen.answer(path, "put", status, &ct, &body);
    let (status, ct, body, _) = send(put("branch:SH-PD-0002").json(&file)).await;
    assert_eq!(status, 422);
    seen.answer(path, "put", status, &ct, &body);
    let expired = BundleFile::seal(
        &key,
        &bundle(branch.clone(), 9, "2026-01-01T00:00:00+08:00"),
    );
    let (status, ct, body, _) = send(put("branch:SH-PD-0001").json(&expired)).await;
    assert_eq!(status, 422);
    seen.answer(path, "put", status, &ct, &body);
    let (status, ct, body, _) = send(
        put("branch:SH-PD-0001")
            .header("content-type", "application/json")
            .body("{\"format\": \"zip\"}"),
    )
    .await;
    assert_eq!(status, 400);
    seen.answer(path, "put", status, &ct, &body);
    let (status, ct, body, _) = send(put("branch:sh pd").json(&file)).await;
    assert_eq!(status, 400);
    seen.answer(path, "put", status, &ct, &body);

    // Served as pushed (the payload is the documented bundle), then 304.
    let get = |scope: &str| http.get(url(&format!("/v1/fleet/bundles/{scope}")));
    let (status, ct, body, headers) = send(get("branch:SH-PD-0001")).await;
    assert_eq!(status, 200);
    seen.answer(path, "get", status, &ct, &body);
    let served = BundleFile::parse(&body).unwrap();
    assert_eq!(served, file);
    let payload: Value = serde_json::from_slice(&served.payload_bytes().unwrap()).unwrap();
    check(
        &seen.doc,
        &serde_json::json!({"$ref": "#/components/schemas/ConfigBundle"}),
        &payload,
        "bundle payload",
    );
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, ct, body, _) = send(get("branch:SH-PD-0001").header("If-None-Match", &etag)).await;
    assert_eq!(status, 304);
    seen.answer(path, "get", status, &ct, &body);
    let (status, ct, body, _) = send(get("district:PD")).await;
    assert_eq!(status, 404);
    seen.answer(path, "get", status, &ct, &body);
    let (status, ct, body, _) = send(get("city:SH")).await;
    assert_eq!(status, 400);
    seen.answer(path, "get", status, &ct, &body);

    // The branch's terminal is told at its next heartbeat, until it runs
    // version 7; a terminal of another branch is not.
    let heartbeat = |b: &Heartbeat| {
        http.post(url(&format!("/v1/terminals/{}/heartbeat", b.terminal)))
            .json(b)
    };
    let (status, _, body, _) = send(heartbeat(beat)).await;
    assert_eq!(status, 200);
    let reply: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        reply["commands"],
        serde_json::json!([{"command": "sync_config"}])
    );
    let runs = Heartbeat {
        config: vec![AppliedBundle {
            scope: branch.clone(),
            version: 7,
        }],
        ..beat.clone()
    };
    seen.request("/v1/terminals/{id}/heartbeat", "post", &runs);
    let (_, _, body, _) = send(heartbeat(&runs)).await;
    let reply: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(reply["commands"], serde_json::json!([]));
    // One that refused version 7 is not told again and again.
    let refused = Heartbeat {
        terminal: "SH-PD-0001-02".into(),
        config_problem: Some(tongban_platform_api::fleet::ConfigProblem {
            scope: branch.clone(),
            version: 7,
            action: "rolled_back".into(),
            reason: "a4 printer port /dev/ttyUSB9 does not exist".into(),
        }),
        ..beat.clone()
    };
    seen.request("/v1/terminals/{id}/heartbeat", "post", &refused);
    let (_, _, body, _) = send(heartbeat(&refused)).await;
    let reply: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(reply["commands"], serde_json::json!([]));
    let elsewhere = Heartbeat {
        terminal: "SH-PD-0002-01".into(),
        branch: Some("SH-PD-0002".into()),
        ..beat.clone()
    };
    let (_, _, body, _) = send(heartbeat(&elsewhere)).await;
    let reply: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(reply["commands"], serde_json::json!([]));

    // The fleet view: both terminals, one branch, one district.
    let path = "/v1/fleet/terminals";
    let (status, ct, body, _) = send(http.get(url(path))).await;
    assert_eq!(status, 200);
    seen.answer(path, "get", status, &ct, &body);
    let list: Value = serde_json::from_slice(&body).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["terminal"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["SH-PD-0001-01", "SH-PD-0001-02", "SH-PD-0002-01"]);
    assert_eq!(list[1]["config_problem"]["action"], "rolled_back");
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["terminal"] == "SH-PD-0001-01")
        .unwrap();
    assert_eq!(
        mine["config"],
        serde_json::json!([{"scope": "branch:SH-PD-0001", "version": 7}])
    );
    assert_eq!(mine["outbox_depth"], 3);
    // Sent with several heartbeats, the staff action is kept once and is
    // the terminal's latest.
    assert_eq!(mine["last_staff_action"]["action"], "out_of_service");
    assert_eq!(platform.staff_actions("SH-PD-0001-01").len(), 1);
    let other = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["terminal"] == "SH-PD-0002-01")
        .unwrap();
    assert_eq!(other["last_staff_action"]["staff"], "S-0042");
    let (_, ct, body, _) = send(http.get(url("/v1/fleet/terminals?branch=SH-PD-0002"))).await;
    seen.answer(path, "get", 200, &ct, &body);
    let list: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["terminal"], "SH-PD-0002-01");
    let (status, ct, body, _) = send(http.get(url("/v1/fleet/terminals?branch=A&branch=B"))).await;
    assert_eq!(status, 400);
    seen.answer(path, "get", status, &ct, &body);
    let (_, _, body, _) = send(http.get(url("/v1/fleet/terminals?district=JA"))).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        serde_json::json!([])
    );
}

/// Fails on e372035: an unknown path, a method a path does not take and
/// a query that does not parse were bare text (or empty) 4xx, like a
/// proxy's;
/// now each is the platform's problem document, while the fault switch,
/// standing in for a proxy, still answers HTML a terminal retries.
#[tokio::test]
async fn every_refusal_of_the_platform_is_a_problem_and_a_proxys_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path());
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", platform.url());
    for (request, status, code) in [
        (http.get(url("/v1/nothing-here")), 404, "not_found"),
        (http.delete(url("/v1/catalogue")), 405, "method_not_allowed"),
        (
            http.get(url("/v1/fleet/terminals?branch=A&branch=B")),
            400,
            "invalid_path",
        ),
    ] {
        let (got, ct, body, _) = send(request).await;
        assert_eq!(got, status);
        let problem = Problem::from_response(got, Some(&ct), &body)
            .unwrap_or_else(|| panic!("HTTP {got} without a problem document: {ct}"));
        assert_eq!(problem.code, code);
    }
    // The fault switch is a proxy in front: its 4xx is no problem document.
    platform.faults().set_status(429);
    let (got, ct, body, _) =
        send(http.post(url("/v1/sessions")).json(&serde_json::json!({}))).await;
    assert_eq!(got, 429);
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(Problem::from_response(got, Some(&ct), &body).is_none());
}

/// Fails on e372035: a key seen before was answered 200 with the earlier
/// application's number whatever the body, so a terminal whose store
/// was made anew (reusing keys) got another resident's number; print
/// results took no key at all. Now a key is bound to its terminal and
/// the SHA-256 of its body: the same request again gets the same answer,
/// anything else under the key is refused 422 `key_reused`.
#[tokio::test]
async fn an_idempotency_key_is_bound_to_its_terminal_and_its_body() {
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path());
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", platform.url());
    let refused_as_reused = |(status, ct, body, _): (u16, String, Vec<u8>, _)| {
        assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
        let problem = Problem::from_response(status, Some(&ct), &body).unwrap();
        assert_eq!(problem.code, "key_reused");
        assert!(!String::from_utf8_lossy(&body).contains("SH0"), "no number");
    };
    let application = |terminal: &str, resident: &str| Application {
        terminal: terminal.into(),
        resident: resident.into(),
        item: "residence-03".into(),
        fields: vec![("phone".into(), "13800000000".into())],
        submitted_at: "2026-11-24T21:00:00+08:00".into(),
    };
    let apply = |k: u32, app: &Application| {
        http.post(url("/v1/applications"))
            .header(IDEMPOTENCY_HEADER, key(k))
            .json(app)
    };
    let mine = application("SH-PD-0001-01", "R-DEMO-0001");
    let (status, _, body, _) = send(apply(1, &mine)).await;
    assert_eq!(status, 201);
    let first: Value = serde_json::from_slice(&body).unwrap();
    let (status, _, body, _) = send(apply(1, &mine)).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), first);
    // Another resident's application under the same key (a store made
    // anew), and the same body from another terminal.
    refused_as_reused(send(apply(1, &application("SH-PD-0001-01", "R-DEMO-0002"))).await);
    refused_as_reused(send(apply(1, &application("SH-PD-0001-02", "R-DEMO-0001"))).await);
    assert_eq!(platform.applications().len(), 1);
    // A key that is not 32 lowercase hex digits.
    for bad in ["SH-PD-0001-01-1", "3F9A0C4E2B7D41A8B6E1C0D2F4A5B6C7", "abc"] {
        let (status, ct, body, _) = send(
            http.post(url("/v1/applications"))
                .header(IDEMPOTENCY_HEADER, bad)
                .json(&mine),
        )
        .await;
        assert_eq!(status, 400, "{bad}");
        let problem = Problem::from_response(status, Some(&ct), &body).unwrap();
        assert_eq!(problem.code, "invalid_header");
    }

    // Ratings, the same ways.
    let rating = |score: u8| Rating {
        terminal: "SH-PD-0001-01".into(),
        application_no: None,
        item: "residence-03".into(),
        score,
        reasons: Vec::new(),
        rated_at: "2026-11-24T21:05:00+08:00".into(),
    };
    let rate = |k: u32, r: &Rating| {
        http.post(url("/v1/ratings"))
            .header(IDEMPOTENCY_HEADER, key(k))
            .json(r)
    };
    assert_eq!(send(rate(2, &rating(5))).await.0, 201);
    assert_eq!(send(rate(2, &rating(5))).await.0, 200);
    refused_as_reused(send(rate(2, &rating(1))).await);
    assert_eq!(platform.ratings().len(), 1);

    // Print results take a key, bound the same way.
    use tongban_platform_api::licence::{PrintResult, TicketRequest};
    let (_, _, body, _) = send(http.post(url("/v1/sessions")).json(
        &tongban_platform_api::resident::Identification::Suishenma {
            token: "ZGVtby1yZXNpZGVudC0wMDAx".into(),
        },
    ))
    .await;
    let token = serde_json::from_slice::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, body, _) = send(
        http.post(url("/v1/print-tickets"))
            .bearer_auth(&token)
            .json(&TicketRequest {
                terminal: "SH-PD-0001-01".into(),
                resident: "R-DEMO-0001".into(),
                licence: "LIC-0001".into(),
                purpose: "办理入学手续".into(),
                copies: 1,
            }),
    )
    .await;
    assert_eq!(status, 201);
    let ticket = serde_json::from_slice::<Value>(&body).unwrap()["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    let printed = PrintResult {
        ticket,
        printed: 1,
        failed: 0,
        outcome: "printed".into(),
    };
    let report = |k: u32, r: &PrintResult| {
        http.post(url("/v1/print-results"))
            .header(IDEMPOTENCY_HEADER, key(k))
            .json(r)
    };
    let (status, ct, body, _) = send(http.post(url("/v1/print-results")).json(&printed)).await;
    assert_eq!(status, 400);
    assert_eq!(
        Problem::from_response(status, Some(&ct), &body)
            .unwrap()
            .code,
        "invalid_header"
    );
    assert_eq!(send(report(3, &printed)).await.0, 204);
    assert_eq!(send(report(3, &printed)).await.0, 204);
    let other = PrintResult {
        printed: 0,
        failed: 1,
        outcome: "failed".into(),
        ..printed.clone()
    };
    refused_as_reused(send(report(3, &other)).await);
}

/// Fails on e372035: after an `uncertain` result the resolved one was a
/// 409, so copies that never came out stayed counted; and a ticket
/// without a result held its copies for the rest of the day. Now the
/// resolution is taken once and gives back what did not print, an open
/// ticket expires after the ticket TTL, and its late result still counts.
#[tokio::test]
async fn print_tickets_always_close() {
    use tongban_platform_api::licence::{PrintResult, TicketRequest};
    let dir = tempfile::tempdir().unwrap();
    let ttl = Duration::from_millis(1500);
    let platform = Platform::start(Options {
        ticket_ttl: ttl,
        ..options(dir.path())
    })
    .unwrap();
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", platform.url());
    let token = session_token(&http, &platform.url()).await;
    let ask = || {
        http.post(url("/v1/print-tickets"))
            .bearer_auth(&token)
            .json(&TicketRequest {
                terminal: "SH-PD-0001-01".into(),
                resident: "R-DEMO-0001".into(),
                licence: "LIC-0001".into(),
                purpose: "办理入学手续".into(),
                copies: 3,
            })
    };
    let ticket = |body: &[u8]| {
        let v: Value = serde_json::from_slice(body).unwrap();
        (
            v["ticket"].as_str().unwrap().to_owned(),
            v["copies"].as_u64().unwrap(),
        )
    };
    let report = |k: u32, ticket: &str, printed: u32, failed: u32, outcome: &str| {
        http.post(url("/v1/print-results"))
            .header(IDEMPOTENCY_HEADER, key(k))
            .json(&PrintResult {
                ticket: ticket.into(),
                printed,
                failed,
                outcome: outcome.into(),
            })
    };
    // Three a day. One page confirmed, then nobody can tell: uncertain.
    let (status, _, body, _) = send(ask()).await;
    assert_eq!(status, 201);
    let (first, copies) = ticket(&body);
    assert_eq!(copies, 3);
    assert_eq!(send(report(1, &first, 1, 0, "uncertain")).await.0, 204);
    // Staff find two came out and one did not: resolved, once.
    assert_eq!(send(report(2, &first, 2, 1, "failed")).await.0, 204);
    assert_eq!(send(report(2, &first, 2, 1, "failed")).await.0, 204);
    let (status, ct, body, _) = send(report(3, &first, 3, 0, "printed")).await;
    assert_eq!(status, 409, "resolved once only");
    assert_eq!(
        Problem::from_response(status, Some(&ct), &body)
            .unwrap()
            .code,
        "conflict"
    );
    // The page that did not print is back: one copy left.
    let (status, _, body, _) = send(ask()).await;
    assert_eq!(status, 201);
    let (second, copies) = ticket(&body);
    assert_eq!(copies, 1);
    // Open, it holds that copy; expired, it gives it back.
    assert_eq!(send(ask()).await.0, 429);
    tokio::time::sleep(ttl + Duration::from_millis(300)).await;
    let (status, _, body, _) = send(ask()).await;
    assert_eq!(status, 201, "the expired ticket gave its copy back");
    let (third, copies) = ticket(&body);
    assert_eq!(copies, 1);
    // The expired ticket's late result is recorded and its page counts:
    // with the third cancelled, the day's three are used.
    assert_eq!(send(report(4, &second, 1, 0, "printed")).await.0, 204);
    assert_eq!(send(report(5, &third, 0, 0, "cancelled")).await.0, 204);
    assert_eq!(send(ask()).await.0, 429);
}

/// A session token of the demo resident R-DEMO-0001 (by 随申码).
async fn session_token(http: &reqwest::Client, base: &str) -> String {
    let (status, _, body, _) = send(http.post(format!("{base}/v1/sessions")).json(
        &tongban_platform_api::resident::Identification::Suishenma {
            token: "ZGVtby1yZXNpZGVudC0wMDAx".into(),
        },
    ))
    .await;
    assert_eq!(status, 200);
    serde_json::from_slice::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Fails on e372035: any ID number alone opened a session and answered
/// the resident's whole phone number, whatever the name. Now the name
/// must be the one registered with the number (a wrong name and an
/// unknown number get the same 404) and the phone comes back masked.
#[tokio::test]
async fn a_session_needs_the_name_with_the_number_and_shows_the_phone_masked() {
    use tongban_platform_api::resident::Identification;
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path());
    let http = reqwest::Client::new();
    let url = platform.url() + "/v1/sessions";
    let card = |number: &str, name: &str| Identification::IdCard {
        number: number.into(),
        name: name.into(),
    };
    let (status, _, body, _) = send(
        http.post(&url)
            .json(&card("11010519491231002X", "测试居民甲")),
    )
    .await;
    assert_eq!(status, 200);
    let session: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(session["resident"], "R-DEMO-0001");
    assert_eq!(session["phone"], "138****0001");
    let (status, ct, wrong_name, _) = send(
        http.post(&url)
            .json(&card("11010519491231002X", "测试居民乙")),
    )
    .await;
    assert_eq!(status, 404, "the number alone opens nothing");
    assert_eq!(
        Problem::from_response(status, Some(&ct), &wrong_name)
            .unwrap()
            .code,
        "not_found"
    );
    let (status, _, unknown, _) = send(
        http.post(&url)
            .json(&card("110105194912310000", "测试居民甲")),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        wrong_name, unknown,
        "a wrong name reads as an unknown number"
    );
    let (status, _, body, _) = send(http.post(&url).json(&Identification::Suishenma {
        token: "ZGVtby1yZXNpZGVudC0wMDAy".into(),
    }))
    .await;
    assert_eq!(status, 200);
    let session: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(session["phone"], "138****0002");
}

/// Fails on e372035: anyone could read any application's progress by its
/// number, without a session. Now only the resident whose it is, under
/// their session's token: 401 without one, 403 for another resident's.
#[tokio::test]
async fn progress_is_the_residents_own() {
    use tongban_platform_api::resident::Identification;
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path());
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", platform.url());
    let (status, _, body, _) = send(
        http.post(url("/v1/applications"))
            .header(IDEMPOTENCY_HEADER, key(1))
            .json(&Application {
                terminal: "SH-PD-0001-01".into(),
                resident: "R-DEMO-0001".into(),
                item: "residence-03".into(),
                fields: Vec::new(),
                submitted_at: "2026-11-24T21:00:00+08:00".into(),
            }),
    )
    .await;
    assert_eq!(status, 201);
    let number = serde_json::from_slice::<Value>(&body).unwrap()["application_no"]
        .as_str()
        .unwrap()
        .to_owned();
    let at = url(&format!("/v1/applications/{number}"));
    assert_eq!(send(http.get(&at)).await.0, 401);
    assert_eq!(send(http.get(&at).bearer_auth("not-a-token")).await.0, 401);
    let (_, _, body, _) = send(
        http.post(url("/v1/sessions"))
            .json(&Identification::Suishenma {
                token: "ZGVtby1yZXNpZGVudC0wMDAy".into(),
            }),
    )
    .await;
    let theirs = serde_json::from_slice::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, ct, body, _) = send(http.get(&at).bearer_auth(&theirs)).await;
    assert_eq!(status, 403, "another resident's application");
    assert_eq!(
        Problem::from_response(status, Some(&ct), &body)
            .unwrap()
            .code,
        "forbidden"
    );
    let own = session_token(&http, &platform.url()).await;
    let (status, _, body, _) = send(http.get(&at).bearer_auth(&own)).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["application_no"],
        number
    );
}

/// Fails on e372035: `printed + failed` was summed in u32, so a report
/// of u32::MAX printed and 1 failed overflowed (the handler panicked and
/// the connection closed without an answer). Now it is refused with 422.
#[tokio::test]
async fn a_print_result_past_u32_is_refused_not_a_crash() {
    use tongban_platform_api::licence::{PrintResult, TicketRequest};
    let dir = tempfile::tempdir().unwrap();
    let platform = start(dir.path());
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", platform.url());
    let token = session_token(&http, &platform.url()).await;
    let (status, _, body, _) = send(
        http.post(url("/v1/print-tickets"))
            .bearer_auth(&token)
            .json(&TicketRequest {
                terminal: "SH-PD-0001-01".into(),
                resident: "R-DEMO-0001".into(),
                licence: "LIC-0001".into(),
                purpose: "办理入学手续".into(),
                copies: 1,
            }),
    )
    .await;
    assert_eq!(status, 201);
    let ticket = serde_json::from_slice::<Value>(&body).unwrap()["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    for (n, (printed, failed)) in [(u32::MAX, 1), (1, u32::MAX), (u32::MAX, u32::MAX)]
        .into_iter()
        .enumerate()
    {
        let (status, ct, body, _) = send(
            http.post(url("/v1/print-results"))
                .header(IDEMPOTENCY_HEADER, key(n as u32))
                .json(&PrintResult {
                    ticket: ticket.clone(),
                    printed,
                    failed,
                    outcome: "failed".into(),
                }),
        )
        .await;
        assert_eq!(status, 422, "{printed} + {failed}");
        let problem = Problem::from_response(status, Some(&ct), &body).unwrap();
        assert_eq!(problem.code, "too_many_pages");
    }
}

/// Every 4xx the document lists for a path is a problem document.
#[test]
fn every_documented_refusal_is_a_problem_document() {
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') {
                    assert_eq!(
                        response["content"],
                        serde_json::json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}),
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
}

/// The reference platform on a free port, with its database in `dir`.
fn start(dir: &Path) -> Platform {
    Platform::start(options(dir)).unwrap()
}

/// How [`start`] starts it.
fn options(dir: &Path) -> Options {
    Options::sample_in(dir).unwrap()
}

#[test]
fn the_document_is_openapi_3_1_and_every_reference_resolves() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let name = target
            .strip_prefix("#/components/schemas/")
            .expect("local reference");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{target} does not resolve"
        );
    }
}
