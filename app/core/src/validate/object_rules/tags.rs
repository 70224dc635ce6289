//! The shapes of text STIX 2.1 fixes beyond JSON types: language tags (`lang`, RFC 5646), the
//! selectors of granular markings, and hash names and digests.

/// The hash algorithms STIX names, each with its digest's length and alphabet.
const HASH_ALGORITHMS: &[(&str, usize, usize)] = &[
    ("MD5", 32, 32),
    ("SHA-1", 40, 40),
    ("SHA-256", 64, 64),
    ("SHA-512", 128, 128),
    ("SHA3-256", 64, 64),
    ("SHA3-512", 128, 128),
    ("SSDEEP", 1, 128),
    ("TLSH", 70, 70),
];

/// What is wrong with one entry of a `hashes` dictionary, if anything: a digest of a named
/// algorithm must have its length and alphabet (hex for the SHA family and MD5); any other name
/// is a custom one of 3 to 250 letters, digits, `_` or `-` (`only_named`: external references
/// take the named algorithms only).
pub(super) fn hash_problem(
    name: &str,
    digest: &serde_json::Value,
    only_named: bool,
) -> Option<String> {
    let Some(digest) = digest.as_str() else {
        return Some(format!("the {name} hash is not a string"));
    };
    match HASH_ALGORITHMS.iter().find(|(known, _, _)| *known == name) {
        Some(&(_, shortest, longest)) => {
            let alphabet_ok = match name {
                "SSDEEP" => digest
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || b"/+:.".contains(&byte)),
                "TLSH" => digest.bytes().all(|byte| byte.is_ascii_alphanumeric()),
                _ => digest.bytes().all(|byte| byte.is_ascii_hexdigit()),
            };
            (!alphabet_ok || !(shortest..=longest).contains(&digest.len()))
                .then(|| format!("the {name} hash {digest:?} is not a well-formed {name} digest"))
        }
        None if only_named => Some(format!(
            "the hash name {name:?} is none of {}",
            HASH_ALGORITHMS
                .iter()
                .map(|(known, _, _)| *known)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => {
            let custom_ok = (3..=250).contains(&name.len())
                && name
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
            (!custom_ok).then(|| {
                format!("the hash name {name:?} is neither a STIX algorithm nor a custom name of 3 to 250 letters, digits, _ or -")
            })
        }
    }
}

/// The irregular tags RFC 5646 keeps from RFC 3066 (the regular ones are well-formed anyway).
const GRANDFATHERED: &[&str] = &[
    "en-GB-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-BE-FR",
    "sgn-BE-NL",
    "sgn-CH-DE",
];

fn letters(subtag: &str) -> bool {
    subtag.bytes().all(|byte| byte.is_ascii_alphabetic())
}

fn digits(subtag: &str) -> bool {
    subtag.bytes().all(|byte| byte.is_ascii_digit())
}

fn is_private_use_singleton(subtag: &str) -> bool {
    subtag.eq_ignore_ascii_case("x")
}

/// Whether `text` is a well-formed language tag (RFC 5646 §2.1): language (with up to three
/// extended language subtags), script, region, variants, extensions and private use, in that
/// order, each optional after the language; or a private-use or grandfathered tag.
pub(super) fn is_language_tag(text: &str) -> bool {
    if GRANDFATHERED
        .iter()
        .any(|tag| tag.eq_ignore_ascii_case(text))
    {
        return true;
    }
    let subtags: Vec<&str> = text.split('-').collect();
    if subtags.iter().any(|subtag| {
        subtag.is_empty() || subtag.len() > 8 || !subtag.bytes().all(|b| b.is_ascii_alphanumeric())
    }) {
        return false;
    }
    let mut rest = &subtags[..];
    if is_private_use_singleton(rest[0]) {
        return rest.len() > 1;
    }
    let language = rest[0];
    if language.len() < 2 || !letters(language) {
        return false;
    }
    rest = &rest[1..];
    if language.len() <= 3 {
        for _ in 0..3 {
            match rest.first() {
                Some(extended) if extended.len() == 3 && letters(extended) => rest = &rest[1..],
                _ => break,
            }
        }
    }
    if rest
        .first()
        .is_some_and(|script| script.len() == 4 && letters(script))
    {
        rest = &rest[1..];
    }
    if rest.first().is_some_and(|region| {
        (region.len() == 2 && letters(region)) || (region.len() == 3 && digits(region))
    }) {
        rest = &rest[1..];
    }
    while rest.first().is_some_and(|variant| {
        variant.len() >= 5 || (variant.len() == 4 && variant.as_bytes()[0].is_ascii_digit())
    }) {
        rest = &rest[1..];
    }
    while let Some(singleton) = rest.first()
        && singleton.len() == 1
        && !is_private_use_singleton(singleton)
    {
        rest = &rest[1..];
        let taken = rest.iter().take_while(|subtag| subtag.len() >= 2).count();
        if taken == 0 {
            return false;
        }
        rest = &rest[taken..];
    }
    match rest.first() {
        Some(singleton) if is_private_use_singleton(singleton) => rest.len() > 1,
        Some(_) => false,
        None => true,
    }
}

/// Whether `text` is a granular-marking selector: `id`, or a property name followed by
/// `.name` and `.[index]` steps (lower-case letters, digits, `_` and `-`).
pub(super) fn is_selector(text: &str) -> bool {
    if text == "id" {
        return true;
    }
    let word = |part: &str, shortest: usize, longest: usize| {
        (shortest..=longest).contains(&part.len())
            && part.bytes().all(|byte| {
                byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_' || byte == b'-'
            })
    };
    let mut parts = text.split('.');
    parts.next().is_some_and(|first| word(first, 3, 249))
        && parts.all(|part| {
            word(part, 1, 250)
                || part
                    .strip_prefix('[')
                    .and_then(|inner| inner.strip_suffix(']'))
                    .is_some_and(|index| !index.is_empty() && digits(index))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_follow_rfc_5646() {
        for good in [
            "en",
            "EN",
            "en-US",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "es-419",
            "de-CH-1901",
            "sl-rozaj-biske",
            "zh-yue-HK",
            "en-a-bbb-x-a-ccc",
            "x-whatever",
            "i-klingon",
            "art-lojban",
            "ase",
            "tlh",
            "hy-Latn-IT-arevela",
        ] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "english!!",
            "en_US",
            "en-",
            "-en",
            "en--US",
            "123",
            "en-a",
            "en-x",
            "x",
            "en-US-a",
            "abcdefghi",
            "en-abcdefghi",
            "en-US-US",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn digests_fit_their_algorithm() {
        use serde_json::json;
        let md5 = json!("0123456789abcdef0123456789ABCDEF");
        assert_eq!(hash_problem("MD5", &md5, true), None);
        assert!(hash_problem("MD5", &json!("zz"), false).is_some());
        assert!(hash_problem("SHA-256", &json!("ab"), false).is_some());
        assert!(hash_problem("SHA-1", &json!(1), false).is_some());
        assert_eq!(
            hash_problem(
                "SSDEEP",
                &json!("3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C"),
                true
            ),
            None
        );
        assert_eq!(hash_problem("x_custom", &json!("anything"), false), None);
        assert!(hash_problem("x_custom", &json!("anything"), true).is_some());
        assert!(hash_problem("id", &json!("not an id"), false).is_some());
        assert!(hash_problem("bad key!", &json!("00"), false).is_some());
    }

    #[test]
    fn selectors_name_properties_and_list_positions() {
        for good in [
            "id",
            "description",
            "external_references.[0].url",
            "kill_chain_phases.[12]",
            "x-custom.field",
        ] {
            assert!(is_selector(good), "{good}");
        }
        for bad in [
            "",
            "ab",
            "Name",
            "bad selector!",
            "description.",
            "external_references.[]",
            "external_references.[x]",
            "external_references[0]",
        ] {
            assert!(!is_selector(bad), "{bad}");
        }
    }
}
