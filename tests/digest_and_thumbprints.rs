//! RFC 9530 digest examples (the ones with an extra `=` are refused) and RFC 7638 / RFC
//! 8037 thumbprint known answers.

mod common;

use common::vectors;
use httpseal::{
    DigestAlgorithm, b64, check_content_digest, content_digest, jwk_thumbprint, parse_digest_field,
    parse_jwk,
};

#[test]
fn rfc9530_examples() {
    let doc = vectors("rfc9421/rfc9530-vectors.json");
    let mut checked = 0;
    for v in doc["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let field = v["field_value"].as_str().unwrap();
        let alg = DigestAlgorithm::from_name(v["alg"].as_str().unwrap()).unwrap();
        let input = b64::decode(v["input_bytes_b64"].as_str().unwrap()).unwrap();
        match parse_digest_field(field) {
            Err(e) => {
                assert!(!v["base64_valid_strict"].as_bool().unwrap(), "{name}: {e}");
                assert_eq!(e.code(), "malformed_content_digest", "{name}");
            }
            Ok(members) => {
                assert!(v["base64_valid_strict"].as_bool().unwrap(), "{name}");
                let member = members.iter().find(|m| m.algorithm == Some(alg)).unwrap();
                assert_eq!(
                    b64::encode(&member.value),
                    v["value_b64"].as_str().unwrap(),
                    "{name}"
                );
                assert_eq!(
                    alg.digest(&input) == member.value,
                    v["matches"].as_bool().unwrap(),
                    "{name}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 22);
    // Appendix D: the sample digests of "hello world" without a newline.
    let d = &doc["appendix_D_sample_digests_of_hello_world_no_newline"];
    for (name, alg) in [
        ("sha-256", DigestAlgorithm::Sha256),
        ("sha-512", DigestAlgorithm::Sha512),
    ] {
        let want = format!("{name}=:{}:", d[name]["rfc"].as_str().unwrap());
        assert_eq!(content_digest(b"{\"hello\": \"world\"}", &[alg]), want);
    }
    // md5 and sha are in the RFC's sample but deprecated: never trusted.
    let md5 = format!("md5=:{}:", d["md5"]["rfc"].as_str().unwrap());
    assert_eq!(
        check_content_digest(&md5, b"{\"hello\": \"world\"}")
            .unwrap_err()
            .code(),
        "unsupported_digest_algorithm"
    );
}

#[test]
fn rfc9421_digest_checks() {
    let doc = vectors("rfc9421/vectors.json");
    for (name, c) in doc["content_digest_checks"].as_object().unwrap() {
        let result = check_content_digest(
            c["expected"].as_str().unwrap(),
            c["body"].as_str().unwrap().as_bytes(),
        );
        assert_eq!(result.is_ok(), c["match"].as_bool().unwrap(), "{name}");
    }
}

#[test]
fn thumbprint_known_answers() {
    for v in vectors("webbotauth/jwk_thumbprint_vectors.json")
        .as_array()
        .unwrap()
    {
        let jwk: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(v["jwk"].as_str().unwrap()).unwrap();
        assert_eq!(
            jwk_thumbprint(&jwk).unwrap(),
            v["thumbprint"].as_str().unwrap(),
            "{}",
            v["name"]
        );
        // The canonical input is what RFC 7638 hashes.
        let canonical = hex::decode(v["precompute"].as_str().unwrap()).unwrap();
        assert_eq!(
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&canonical)),
            v["sha256"].as_str().unwrap()
        );
        // The key parsed and re-exported has the same thumbprint (when its family is built).
        match parse_jwk(v["jwk"].as_str().unwrap()) {
            Ok(key) => assert_eq!(key.thumbprint(), v["thumbprint"].as_str().unwrap()),
            Err(e) => {
                if cfg!(feature = "all-algorithms") {
                    panic!("{}: {e}", v["name"]);
                }
                assert_eq!(e.code(), "unsupported_key");
            }
        }
    }
    let p = vectors("webbotauth/httpsig-protocol-vectors.json");
    for (name, t) in p["jwk_thumbprints"].as_object().unwrap() {
        let Some(jwk) = t.get("jwk") else { continue };
        assert_eq!(
            jwk_thumbprint(jwk.as_object().unwrap()).unwrap(),
            t["thumbprint_b64url"].as_str().unwrap(),
            "{name}"
        );
    }
    let keys = &p["keys"];
    let ed = parse_jwk(&keys["ed25519_rfc9421_B14"]["jwk_private"].to_string()).unwrap();
    assert_eq!(
        ed.thumbprint(),
        keys["ed25519_rfc9421_B14"]["jwk_thumbprint_sha256_b64url"]
            .as_str()
            .unwrap()
    );
    let rsa = serde_json::json!({"kty": "RSA", "n": keys["rsa_pss_rfc9421_B12"]["n"], "e": "AQAB"});
    assert_eq!(
        jwk_thumbprint(rsa.as_object().unwrap()).unwrap(),
        keys["rsa_pss_rfc9421_B12"]["jwk_thumbprint_sha256_b64url"]
            .as_str()
            .unwrap()
    );
    // EC and oct thumbprints use their own member sets.
    let ec = serde_json::json!({"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "kid": "ignored"});
    let ec_input = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"a\",\"y\":\"b\"}";
    assert_eq!(
        jwk_thumbprint(ec.as_object().unwrap()).unwrap(),
        b64::url_encode(&<sha2::Sha256 as sha2::Digest>::digest(ec_input))
    );
    let oct = serde_json::json!({"kty": "oct", "k": "c2VjcmV0"});
    assert_eq!(
        jwk_thumbprint(oct.as_object().unwrap()).unwrap(),
        b64::url_encode(&<sha2::Sha256 as sha2::Digest>::digest(
            "{\"k\":\"c2VjcmV0\",\"kty\":\"oct\"}"
        ))
    );
}
