//! Pseudonymisation of archived rows: the person's id becomes the pseudonym, and their
//! identifying words (email, names, employee number) become `[erased]`, case-insensitively,
//! in every string of the row, as whole words. The same rule as `pms_retention.scrub_text` in
//! SQL.

use serde_json::Value;

/// The words that identify a person, from their account.
pub fn terms(
    email: &str,
    first: &str,
    last: &str,
    display: Option<&str>,
    employee_number: Option<&str>,
) -> Vec<String> {
    let mut t: Vec<String> = vec![email.to_string(), format!("{first} {last}")];
    t.extend(display.map(str::to_string));
    t.extend(employee_number.map(str::to_string));
    t.push(first.to_string());
    t.push(last.to_string());
    t.retain(|s| s.trim().len() >= 2);
    // Longest first, so "Jane Doe" goes before "Jane".
    t.sort_by_key(|s| std::cmp::Reverse(s.len()));
    t.dedup();
    t
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Replaces whole-word occurrences of `needle` (ASCII case-insensitive): "Jan" is not erased
/// from "Janet", nor "First7" from "First70".
fn replace_ascii_ci(haystack: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return haystack.to_string();
    }
    let lower_h = haystack.to_ascii_lowercase();
    let lower_n = needle.to_ascii_lowercase();
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    for (i, _) in lower_h.match_indices(&lower_n) {
        let end = i + needle.len();
        if i < last
            || is_word(haystack[..i].chars().next_back())
            || is_word(haystack[end..].chars().next())
        {
            continue;
        }
        out.push_str(&haystack[last..i]);
        out.push_str(with);
        last = end;
    }
    out.push_str(&haystack[last..]);
    out
}

/// Scrubs one string.
pub fn scrub_str(s: &str, person: &str, pseudonym: &str, terms: &[String]) -> String {
    let mut out = s.replace(person, pseudonym);
    for t in terms {
        out = replace_ascii_ci(&out, t, "[erased]");
    }
    out
}

/// Scrubs every string in a JSON value.
pub fn scrub_value(v: &mut Value, person: &str, pseudonym: &str, terms: &[String]) {
    match v {
        Value::String(s) => *s = scrub_str(s, person, pseudonym, terms),
        Value::Array(a) => a
            .iter_mut()
            .for_each(|x| scrub_value(x, person, pseudonym, terms)),
        Value::Object(o) => o
            .values_mut()
            .for_each(|x| scrub_value(x, person, pseudonym, terms)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_case_insensitively() {
        let t = terms("jane@x.io", "Jane", "Doe", None, None);
        let mut v = serde_json::json!({"a": "JANE DOE wrote to jane@x.io", "who": "p1", "n": 3});
        scrub_value(&mut v, "p1", "q9", &t);
        assert_eq!(
            v,
            serde_json::json!({"a": "[erased] wrote to [erased]", "who": "q9", "n": 3})
        );
    }

    #[test]
    fn scrubs_whole_words_only() {
        let t = terms("jan@x.io", "Jan", "Doe", None, None);
        assert_eq!(
            scrub_str(
                "Jan met Janet, jan_x and Doe's JAN (jan@x.io).",
                "p",
                "q",
                &t
            ),
            "[erased] met Janet, jan_x and [erased]'s [erased] ([erased])."
        );
    }
}
