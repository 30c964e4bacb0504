//! RFC 9421: every signature base of the standard vectors is rebuilt byte for byte from
//! the message, and every §2 component example produces the RFC's lines.

mod common;

use common::*;
use httpseal::{
    ComponentId, Error, SfRegistry, SfType, SignatureParams, component_value, parse_http1,
    parse_signatures, signature_base,
};

#[test]
fn every_vector_base_is_rebuilt_exactly() {
    let doc = rfc9421();
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 20);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let msg = vector_message(v);
        let params = SignatureParams::parse(v["signature_input_value"].as_str().unwrap()).unwrap();
        let base = signature_base(&msg, &params, &SfRegistry::new())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(base, v["signature_base"].as_str().unwrap(), "{name}");
        // The file copy of the base is the same bytes.
        let file = format!("rfc9421/bases/{}.txt", base_file_name(name));
        if let Ok(text) = std::fs::read_to_string(format!(
            "{}/tests/vectors/{file}",
            env!("CARGO_MANIFEST_DIR")
        )) {
            assert_eq!(base, text, "{name} vs {file}");
        }
    }
}

fn base_file_name(name: &str) -> String {
    name.replace([' ', '/', '(', ')', '\'', ','], "_")
}

#[test]
fn signature_params_line_reproduces_signature_input() {
    for v in rfc9421()["vectors"].as_array().unwrap() {
        let text = v["signature_input_value"].as_str().unwrap();
        assert_eq!(SignatureParams::parse(text).unwrap().serialize(), text);
    }
}

#[test]
fn signed_messages_parse_into_their_labels() {
    for v in rfc9421()["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let msg = common::message(v["signed_message"].as_str().unwrap());
        let sigs = parse_signatures(&msg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let label = v["label"].as_str().unwrap();
        let sig = sigs.iter().find(|s| s.label == label).unwrap();
        assert_eq!(
            sig.params.serialize(),
            v["signature_input_value"].as_str().unwrap()
        );
        use base64::Engine;
        let expected = base64::engine::general_purpose::STANDARD
            .decode(v["signature_b64"].as_str().unwrap())
            .unwrap();
        assert_eq!(sig.signature, expected, "{name}");
    }
}

/// Values of the §2 examples, line by line.
fn lines_for(raw: &str, scheme: &str, components: &[&str], types: &SfRegistry) -> Vec<String> {
    let msg = parse_http1(raw.as_bytes(), scheme).unwrap();
    components
        .iter()
        .map(|c| {
            let id = ComponentId::parse(c).unwrap();
            format!(
                "{}: {}",
                id.serialize(),
                component_value(&msg, &id, types).unwrap()
            )
        })
        .collect()
}

fn expected(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

/// The component (as the user writes it) from an expected base line.
fn component_of(line: &str) -> String {
    let (id, _) = line
        .split_once(": ")
        .unwrap_or((line.trim_end_matches(':'), ""));
    id.to_string()
}

#[test]
fn section2_component_examples() {
    let doc = rfc9421();
    let ex = &doc["component_examples"];
    let types = SfRegistry::new().with("example-dict", SfType::Dictionary);
    let fragment_request = |fragment: &str| format!("GET /x HTTP/1.1\n{fragment}");

    // §2.1 fields, the empty field, sf, key.
    for name in [
        "2.1 http fields",
        "2.1 empty field",
        "2.1.1 sf",
        "2.1.2 key",
    ] {
        let e = &ex[name];
        let want = expected(&e["expected_lines"]);
        let comps: Vec<String> = want.iter().map(|l| component_of(l)).collect();
        let comps: Vec<&str> = comps.iter().map(String::as_str).collect();
        let raw = fragment_request(e["message_fragment"].as_str().unwrap());
        assert_eq!(lines_for(&raw, "https", &comps, &types), want, "{name}");
    }

    // §2.1.3 bs, multi-line and single-line forms, and the collision without bs.
    let e = &ex["2.1.3 bs"];
    let multi = fragment_request(e["message_fragment_multi"].as_str().unwrap());
    let single = fragment_request(e["message_fragment_single"].as_str().unwrap());
    assert_eq!(
        lines_for(&multi, "https", &["example-header;bs"], &types),
        [e["expected_line_bs_multi"].as_str().unwrap()]
    );
    assert_eq!(
        lines_for(&single, "https", &["example-header;bs"], &types),
        [e["expected_line_bs_single"].as_str().unwrap()]
    );
    let plain = expected(&e["expected_lines_without_bs"]);
    assert_eq!(
        lines_for(&multi, "https", &["example-header"], &types),
        plain
    );
    assert_eq!(
        lines_for(&single, "https", &["example-header"], &types),
        plain
    );

    // §2.1.4 tr
    let e = &ex["2.1.4 tr"];
    assert_eq!(
        lines_for(
            e["message"].as_str().unwrap(),
            "https",
            &["@status", "trailer", "expires;tr"],
            &types
        ),
        expected(&e["expected_lines"])
    );

    // §2.2 derived components.
    for (name, value) in ex.as_object().unwrap() {
        if !name.starts_with("2.2.") || value["message"].is_null() {
            continue;
        }
        let want = expected(&value["expected_lines"]);
        let comps: Vec<String> = want.iter().map(|l| component_of(l)).collect();
        let comps: Vec<&str> = comps.iter().map(String::as_str).collect();
        let scheme = value["scheme"].as_str().unwrap_or("https");
        assert_eq!(
            lines_for(value["message"].as_str().unwrap(), scheme, &comps, &types),
            want,
            "{name}"
        );
    }
    // §2.2.7: a request without a query has "@query": ?
    assert_eq!(
        lines_for("GET /path HTTP/1.1\nHost: a", "https", &["@query"], &types),
        expected(&ex["2.2.7 @query absent"]["expected_lines"])
    );

    // §7.5.6: one field with commas and two field lines give the same plain value.
    let e = &ex["7.5.6 non-list field collision"];
    for raw in [e["multi"].as_str().unwrap(), e["single"].as_str().unwrap()] {
        assert_eq!(
            lines_for(&fragment_request(raw), "https", &["example-header"], &types),
            [e["same_base_line"].as_str().unwrap()]
        );
    }
}

#[test]
fn section2_3_signature_params_value_keeps_parameter_order() {
    let e = &rfc9421()["component_examples"]["2.3 @signature-params value"];
    let text = e["expected_value"].as_str().unwrap();
    assert_eq!(SignatureParams::parse(text).unwrap().serialize(), text);
}

#[test]
fn query_param_unencoded_forms_never_appear() {
    let e = &rfc9421()["component_examples"]["2.2.8 @query-param encoding"];
    let msg = parse_http1(e["message"].as_str().unwrap().as_bytes(), "https").unwrap();
    for bad in e["invalid_unencoded_lines"].as_array().unwrap() {
        let bad = bad.as_str().unwrap();
        for c in [
            "@query-param;name=\"var\"",
            "@query-param;name=\"bar\"",
            "@query-param;name=\"fa%C3%A7ade%22%3A%20\"",
        ] {
            let id = ComponentId::parse(c).unwrap();
            let line = format!(
                "{}: {}",
                id.serialize(),
                component_value(&msg, &id, &SfRegistry::new()).unwrap()
            );
            assert_ne!(line, bad);
        }
    }
}

#[test]
fn base_errors() {
    let types = SfRegistry::new();
    let req = parse_http1(
        b"GET /p?a=1&a=2&b=3 HTTP/1.1\r\nHost: example.com\r\nX-Dict: a=1\r\nX-Bin: \xff\r\n\r\n",
        "https",
    );
    // Non-UTF-8 field line is refused by the reader itself.
    assert!(req.is_err());
    let req = parse_http1(b"GET /p?a=1&a=2&b=3 HTTP/1.1\r\nHost: example.com\r\nX-Dict: a=1\r\nX-List: (1 2)\r\nX-Utf: caf\xc3\xa9\r\n\r\n", "https").unwrap();
    let resp = parse_http1(b"HTTP/1.1 200 OK\r\nX: y\r\n\r\n", "https").unwrap();
    let base = |msg: &dyn httpseal::Message, input: &str| {
        signature_base(msg, &SignatureParams::parse(input).unwrap(), &types)
    };
    let code = |r: httpseal::Result<String>| r.unwrap_err().code();
    assert_eq!(
        code(base(&req, "(\"@method\" \"@method\")")),
        "duplicate_component"
    );
    assert_eq!(
        code(base(
            &req,
            "(\"x-dict\";sf;key=\"a\" \"x-dict\";key=\"a\";sf)"
        )),
        "duplicate_component"
    );
    assert_eq!(code(base(&req, "(\"@nope\")")), "unknown_derived_component");
    assert_eq!(
        code(base(&req, "(\"@signature-params\")")),
        "signature_params_covered"
    );
    assert_eq!(code(base(&req, "(\"x-missing\")")), "missing_field");
    assert_eq!(
        code(base(&req, "(\"@query-param\")")),
        "missing_query_param_name"
    );
    assert_eq!(
        code(base(&req, "(\"@query-param\";name=\"zz\")")),
        "query_param_not_found"
    );
    assert_eq!(
        code(base(&req, "(\"@query-param\";name=\"a\")")),
        "query_param_repeated"
    );
    assert_eq!(
        code(base(&req, "(\"x-dict\";key=\"b\")")),
        "dictionary_key_not_found"
    );
    assert_eq!(
        code(base(&req, "(\"x-dict\";sf)")),
        "unknown_structured_field"
    );
    assert_eq!(
        code(base(&req, "(\"x-list\";key=\"a\")")),
        "malformed_field"
    );
    assert_eq!(code(base(&req, "(\"@method\";req)")), "req_on_request");
    assert_eq!(
        code(base(&resp, "(\"@method\";req)")),
        "missing_related_request"
    );
    assert_eq!(
        code(base(&req, "(\"@status\")")),
        "component_not_applicable"
    );
    assert_eq!(
        code(base(&resp, "(\"@method\")")),
        "component_not_applicable"
    );
    assert_eq!(code(base(&req, "(\"x-utf\")")), "invalid_component_value");
    assert_eq!(
        code(base(&req, "(\"x-dict\";bs;sf)")),
        "incompatible_component_parameters"
    );
    assert_eq!(
        code(base(&req, "(\"x-dict\";foo)")),
        "unknown_component_parameter"
    );
    // bs makes the non-ASCII value signable.
    assert!(base(&req, "(\"x-utf\";bs)").is_ok());
    assert!(matches!(
        SignatureParams::parse("(\"Content-Type\")"),
        Err(Error::InvalidComponent(_))
    ));
    assert!(matches!(
        SignatureParams::parse("(method)"),
        Err(Error::InvalidComponent(_))
    ));
    assert!(matches!(
        SignatureParams::parse("(@method)"),
        Err(Error::MalformedSignatureInput(_))
    ));
    assert!(matches!(
        SignatureParams::parse("();created=-1"),
        Err(Error::InvalidSignatureParameter { .. })
    ));
    assert!(matches!(
        SignatureParams::parse("();keyid=1"),
        Err(Error::InvalidSignatureParameter { .. })
    ));
}
