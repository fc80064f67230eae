//! The sample catalogue shipped in `assets/catalogue/` and the rules a
//! terminal applies before it trusts any catalogue.

use std::io::Write;
use std::path::{Path, PathBuf};

use tongban_platform_api::{
    Catalogue, SignatureError, Signed, accept_catalogue, key_base64, sample_signing_key,
    verifying_key,
};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets")
}

fn shipped() -> Signed {
    let payload = std::fs::read(assets().join("catalogue/catalogue.json")).unwrap();
    let signature = std::fs::read_to_string(assets().join("catalogue/catalogue.json.sig")).unwrap();
    Signed::from_parts(payload, &signature).unwrap()
}

#[test]
fn the_sample_catalogue_is_signed_complete_and_consistent() {
    let key = sample_signing_key().verifying_key();
    let catalogue = accept_catalogue(&shipped(), &key, None).expect("genuine");
    assert!(catalogue.sample, "sample data says so");
    assert_eq!(catalogue.items.len(), 128);
    assert_eq!(catalogue.licence_types.len(), 622);
    assert!(catalogue.categories.len() >= 10);
    assert!(
        catalogue
            .bundles
            .iter()
            .any(|b| b.name.zh == "出生一件事" && b.items.len() >= 3)
    );
    assert_eq!(catalogue.problems(), Vec::<String>::new());
    // Every item is named in both languages, spelt in pinyin, has a guide
    // and a form whose identity fields come from the card.
    for item in &catalogue.items {
        assert!(
            !item.name.zh.is_empty() && !item.name.en.is_empty(),
            "{}",
            item.id
        );
        assert!(
            item.pinyin
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == ' '),
            "{}",
            item.pinyin
        );
        assert!(!item.guide.materials.is_empty() && !item.guide.conditions.is_empty());
        assert!(item.form.iter().any(|f| f.from_id_card.is_some()));
    }
    assert!(catalogue.items.iter().filter(|i| i.kuaiban).count() >= 40);
    // Every licence type prints with a template the kiosk has.
    for l in &catalogue.licence_types {
        let template = assets()
            .join("licences")
            .join(format!("{}.toml", l.template));
        assert!(template.exists(), "{} needs {}", l.code, template.display());
    }
    // Search by pinyin initials finds 居住证签注 with "jzzqz".
    let found: Vec<&str> = catalogue
        .items
        .iter()
        .filter(|i| i.initials.starts_with("jzzqz"))
        .map(|i| i.name.zh.as_str())
        .collect();
    assert_eq!(found, ["居住证签注"]);
}

#[test]
fn the_full_catalogue_is_at_most_150_kb_compressed() {
    let payload = shipped().payload;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&payload).unwrap();
    let compressed = gz.finish().unwrap();
    assert!(
        compressed.len() <= 150 * 1024,
        "{} bytes compressed ({} raw)",
        compressed.len(),
        payload.len()
    );
}

#[test]
fn a_forged_or_tampered_catalogue_is_refused() {
    let key = sample_signing_key().verifying_key();
    let genuine = shipped();
    let mut tampered = genuine.clone();
    let at = tampered.payload.len() / 2;
    tampered.payload[at] ^= 0x01;
    assert_eq!(
        accept_catalogue(&tampered, &key, None),
        Err(SignatureError::Forged)
    );
    // Signed by somebody else.
    let other = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let forged = Signed::sign(&other, genuine.payload.clone());
    assert_eq!(
        accept_catalogue(&forged, &key, None),
        Err(SignatureError::Forged)
    );
    // A signature that is not one.
    assert_eq!(
        Signed::from_parts(genuine.payload.clone(), "not base64!").unwrap_err(),
        SignatureError::Malformed
    );
    assert_eq!(
        Signed::from_parts(genuine.payload, "AAAA").unwrap_err(),
        SignatureError::Malformed
    );
}

#[test]
fn an_older_or_same_version_is_refused_and_a_newer_one_taken() {
    let signing = sample_signing_key();
    let key = signing.verifying_key();
    let mut catalogue: Catalogue = serde_json::from_slice(&shipped().payload).unwrap();
    catalogue.version = 5;
    let v5 = Signed::sign(&signing, serde_json::to_vec(&catalogue).unwrap());
    assert_eq!(
        accept_catalogue(&v5, &key, Some(5)),
        Err(SignatureError::Stale {
            offered: 5,
            held: 5
        })
    );
    assert_eq!(
        accept_catalogue(&v5, &key, Some(9)),
        Err(SignatureError::Stale {
            offered: 5,
            held: 9
        })
    );
    assert_eq!(accept_catalogue(&v5, &key, Some(4)).unwrap().version, 5);
    // Genuinely signed bytes that are not a catalogue.
    let junk = Signed::sign(&signing, b"{\"version\": \"x\"}".to_vec());
    assert!(matches!(
        accept_catalogue(&junk, &key, None),
        Err(SignatureError::Unreadable(_))
    ));
}

#[test]
fn keys_travel_as_base64_and_bad_ones_are_named() {
    let key = sample_signing_key().verifying_key();
    let text = key_base64(&key);
    assert_eq!(verifying_key(&text).unwrap(), key);
    assert_eq!(verifying_key("short").unwrap_err(), SignatureError::BadKey);
}

#[test]
fn inconsistencies_are_listed() {
    let mut catalogue: Catalogue = serde_json::from_slice(&shipped().payload).unwrap();
    catalogue.items[0].category = "nowhere".into();
    catalogue.items[1].guide.materials[0].satisfied_by = vec!["no-such-licence".into()];
    let dup = catalogue.items[2].clone();
    catalogue.items.push(dup);
    catalogue.bundles[0].items.push("missing-item".into());
    let problems = catalogue.problems();
    assert_eq!(problems.len(), 4, "{problems:#?}");
}
