//! The query language: words, `"phrases"` (with slop `"a b"~5`),
//! prefixes `sanction*`, fuzzy words `wagnr~1`, `+required`, `-excluded`,
//! `AND`/`OR`/`NOT`, `title:`/`body:` scopes and inline facet filters
//! (`location:Mali`, `org:"United Nations"`, `date:2022-11`).
//!
//! Parsed by hand rather than with tantivy's query parser so that every
//! error has a column, and forms Dateline does not support (grouping,
//! boosts, ranges) are refused instead of being silently changed.

use crate::error::{Error, Result};

/// Whether a clause is optional, required or excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Occur {
    Should,
    Must,
    MustNot,
}

/// Which text a clause searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// Title and body.
    All,
    Title,
    Body,
}

/// How a word matches the index's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Expand {
    /// Its analyzed (stemmed) form only.
    Exact,
    /// Every term starting with it (`sanction*`).
    Prefix,
    /// Terms within this many edits (`wagnr~1`).
    Fuzzy(u8),
}

/// A parsed query: its clauses and its inline facet filters.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Parsed {
    pub clauses: Vec<Clause>,
    /// (facet name as written, value).
    pub filters: Vec<(String, String)>,
}

/// One word or phrase of the query.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Clause {
    pub occur: Occur,
    pub scope: Scope,
    /// The text as typed (without quotes, sign or scope).
    pub text: String,
    /// Quoted: the words must appear next to each other.
    pub phrase: bool,
    /// For a phrase, how many positions its words may move (`"a b"~5`).
    pub slop: u32,
    /// For a word, how it is expanded.
    pub expand: Expand,
    /// Scales the clause's score (1 for what the user typed).
    pub weight: f32,
    /// Only re-ranks articles that other clauses matched (feedback terms).
    pub rerank_only: bool,
}

const FIELDS: &[&str] = &["title", "body"];

/// Parses a query; an empty or blank query gives no clauses.
pub(crate) fn parse(query: &str, facet_names: &[String]) -> Result<Parsed> {
    let chars: Vec<char> = query.chars().collect();
    let error = |column: usize, message: String| Error::Query {
        column: column + 1,
        message,
    };
    let mut clauses: Vec<Clause> = Vec::new();
    let mut filters: Vec<(String, String)> = Vec::new();
    // Index of the clause an `AND` must join with the next one.
    let mut pending_and: Option<(usize, usize)> = None;
    let mut pending_not: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        // Bare operators.
        let word_end = (i..chars.len())
            .find(|&j| chars[j].is_whitespace())
            .unwrap_or(chars.len());
        let word: String = chars[i..word_end].iter().collect();
        if matches!(word.as_str(), "AND" | "OR" | "NOT" | "&&" | "||") {
            if pending_and.is_some() || pending_not.is_some() {
                return Err(error(
                    start,
                    format!("`{word}` cannot follow another operator"),
                ));
            }
            match word.as_str() {
                "AND" | "&&" => {
                    if clauses.is_empty() {
                        return Err(error(start, format!("`{word}` needs a term before it")));
                    }
                    pending_and = Some((clauses.len() - 1, start));
                }
                "NOT" => pending_not = Some(start),
                _ => {
                    if clauses.is_empty() {
                        return Err(error(start, format!("`{word}` needs a term before it")));
                    }
                    // OR is the default between terms; it only has to sit between two.
                    pending_not = None;
                    let next = chars[word_end..].iter().any(|c| !c.is_whitespace());
                    if !next {
                        return Err(error(start, format!("`{word}` needs a term after it")));
                    }
                }
            }
            i = word_end;
            continue;
        }

        let mut occur = Occur::Should;
        if chars[i] == '+' || chars[i] == '-' {
            occur = if chars[i] == '+' {
                Occur::Must
            } else {
                Occur::MustNot
            };
            i += 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                return Err(error(
                    start,
                    format!("`{}` must be followed by a term", chars[start]),
                ));
            }
        }
        if let Some(not_at) = pending_not.take() {
            if occur != Occur::Should {
                return Err(error(
                    not_at,
                    "`NOT` cannot be combined with `+` or `-`".into(),
                ));
            }
            occur = Occur::MustNot;
        }

        let mut scope = Scope::All;
        let token_end = scan_token_end(&chars, i);
        let token: String = chars[i..token_end].iter().collect();
        if let Some(colon) = token.find(':') {
            let name = &token[..colon];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
                let lower = name.to_ascii_lowercase();
                scope = match lower.as_str() {
                    "title" => Scope::Title,
                    "body" | "text" => Scope::Body,
                    _ if facet_names.contains(&lower) => {
                        if occur != Occur::Should {
                            return Err(error(
                                start,
                                format!("a facet filter `{name}:` cannot be required or excluded"),
                            ));
                        }
                        let at = i + name.chars().count() + 1;
                        let (value, end) = if chars.get(at) == Some(&'"') {
                            let close = (at + 1..chars.len()).find(|&j| chars[j] == '"');
                            let Some(close) = close else {
                                return Err(error(at, "unclosed quote `\"`".into()));
                            };
                            (chars[at + 1..close].iter().collect::<String>(), close + 1)
                        } else {
                            let end = scan_token_end(&chars, at);
                            (chars[at..end].iter().collect::<String>(), end)
                        };
                        if value.trim().is_empty() {
                            return Err(error(
                                start,
                                format!("`{name}:` must be followed by a value"),
                            ));
                        }
                        if pending_and.is_some() {
                            return Err(error(
                                start,
                                format!("`AND` cannot join a facet filter `{name}:`"),
                            ));
                        }
                        filters.push((lower, value.trim().to_string()));
                        i = end;
                        continue;
                    }
                    _ => {
                        return Err(error(
                            i,
                            format!("unknown field `{name}` (fields: {})", FIELDS.join(", ")),
                        ));
                    }
                };
                i += name.chars().count() + 1;
                if i >= chars.len() || chars[i].is_whitespace() {
                    return Err(error(
                        start,
                        format!("`{name}:` must be followed by a term"),
                    ));
                }
            }
        }

        let (text, phrase, end) = if chars[i] == '"' {
            let close = (i + 1..chars.len()).find(|&j| chars[j] == '"');
            let Some(close) = close else {
                return Err(error(i, "unclosed quote `\"`".into()));
            };
            let text: String = chars[i + 1..close].iter().collect();
            if text.trim().is_empty() {
                return Err(error(i, "empty phrase `\"\"`".into()));
            }
            (text, true, close + 1)
        } else {
            let end = scan_token_end(&chars, i);
            (chars[i..end].iter().collect::<String>(), false, end)
        };
        let mut end = end;
        let mut slop = 0;
        if end < chars.len() && !chars[end].is_whitespace() {
            let rest_end = scan_token_end(&chars, end);
            let rest: String = chars[end..rest_end].iter().collect();
            match rest.strip_prefix('~').map(|n| n.parse::<u32>()) {
                Some(Ok(n)) if n <= 100 => slop = n,
                Some(_) => {
                    return Err(error(
                        end,
                        format!("phrase slop `{rest}` must be `~N` with N from 0 to 100"),
                    ));
                }
                None => {
                    return Err(error(
                        end,
                        format!("expected a space after the phrase, found `{rest}`"),
                    ));
                }
            }
            end = rest_end;
        }
        let mut text = text;
        let mut expand = Expand::Exact;
        if !phrase {
            (text, expand) = word_form(&text, i).map_err(|(col, message)| error(col, message))?;
        }
        clauses.push(Clause {
            occur,
            scope,
            text,
            phrase,
            slop,
            expand,
            weight: 1.0,
            rerank_only: false,
        });
        if let Some((left, _)) = pending_and.take() {
            for clause in [left, clauses.len() - 1] {
                if clauses[clause].occur == Occur::Should {
                    clauses[clause].occur = Occur::Must;
                }
            }
        }
        i = end;
    }
    if let Some((_, at)) = pending_and {
        return Err(error(at, "`AND` needs a term after it".into()));
    }
    if let Some(at) = pending_not {
        return Err(error(at, "`NOT` needs a term after it".into()));
    }
    Ok(Parsed { clauses, filters })
}

/// Reads a natural-language query: every run of letters and digits is an
/// optional word searched everywhere; no character is an operator.
pub(crate) fn parse_natural(query: &str) -> Vec<Clause> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| Clause {
            occur: Occur::Should,
            scope: Scope::All,
            text: w.to_string(),
            phrase: false,
            slop: 0,
            expand: Expand::Exact,
            weight: 1.0,
            rerank_only: false,
        })
        .collect()
}

/// Distinct clauses a query may have after repeats are merged: each is a
/// walk of postings, so this bounds the work a single request can ask for.
pub(crate) const MAX_CLAUSES: usize = 1024;

/// Merges repeated clauses (same text, sign, scope and form) into one whose
/// weight counts the repeats, in first-seen order; every clause's score is
/// linear in its weight, so the ranking is the one of the repeats.
/// Refuses a query with more than [`MAX_CLAUSES`] distinct clauses.
pub(crate) fn merge_repeats(clauses: Vec<Clause>) -> Result<Vec<Clause>> {
    let mut merged: Vec<Clause> = Vec::new();
    // Everything that tells two clauses apart except the weight.
    type Key = (Occur, Scope, String, bool, u32, Expand, bool);
    let mut seen: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for clause in clauses {
        let key = (
            clause.occur,
            clause.scope,
            clause.text.clone(),
            clause.phrase,
            clause.slop,
            clause.expand,
            clause.rerank_only,
        );
        match seen.get(&key) {
            Some(&at) => merged[at].weight += clause.weight,
            None => {
                seen.insert(key, merged.len());
                merged.push(clause);
            }
        }
    }
    if merged.len() > MAX_CLAUSES {
        return Err(Error::Query {
            column: 1,
            message: format!(
                "the query has {} distinct words and phrases, more than the limit of {MAX_CLAUSES}",
                merged.len()
            ),
        });
    }
    Ok(merged)
}

/// End of a token: the next whitespace, or a quote that opens a phrase.
fn scan_token_end(chars: &[char], from: usize) -> usize {
    let mut j = from;
    while j < chars.len() && !chars[j].is_whitespace() {
        if chars[j] == '"' && j > from {
            break;
        }
        j += 1;
    }
    j
}

/// Reads a word's form: a trailing `*` makes a prefix, a trailing `~N`
/// a fuzzy word; syntax Dateline does not support is refused.
fn word_form(word: &str, column: usize) -> std::result::Result<(String, Expand), (usize, String)> {
    let (text, expand) = if let Some(prefix) = word.strip_suffix('*') {
        if prefix.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return Err((
                column,
                format!("prefix `{word}` is too short (at least 2 letters before `*`)"),
            ));
        }
        (prefix, Expand::Prefix)
    } else if let Some((base, distance)) = word.rsplit_once('~') {
        let distance = match distance {
            "" => 1,
            "0" | "1" | "2" => distance.parse().expect("a digit"),
            _ => {
                return Err((
                    column,
                    format!("fuzzy word `{word}` takes `~0`, `~1` or `~2`"),
                ));
            }
        };
        (base, Expand::Fuzzy(distance))
    } else {
        (word, Expand::Exact)
    };
    for (offset, c) in text.chars().enumerate() {
        let message = match c {
            '*' => {
                format!("wildcard `{word}`: only a trailing `*` (prefix) is supported")
            }
            '~' => format!("fuzzy word `{word}`: `~N` goes at the end"),
            '(' | ')' => {
                return Err((
                    column + offset,
                    "grouping with parentheses is not supported".to_string(),
                ));
            }
            '^' => format!("boost `{word}` is not supported"),
            '[' | ']' | '{' | '}' => {
                format!("range `{word}` is not supported in the query; use --from/--to")
            }
            _ => continue,
        };
        return Err((column, message));
    }
    if text.is_empty() {
        return Err((column, format!("`{word}` has no word before its operator")));
    }
    Ok((text.to_string(), expand))
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_clauses_merge_into_one_counting_the_repeats() {
        let parsed = parse("oil +gas oil \"crude oil\" oil +gas", &[]).unwrap();
        let merged = merge_repeats(parsed.clauses).unwrap();
        let summary: Vec<(&str, Occur, f32)> = merged
            .iter()
            .map(|c| (c.text.as_str(), c.occur, c.weight))
            .collect();
        assert_eq!(
            summary,
            [
                ("oil", Occur::Should, 3.0),
                ("gas", Occur::Must, 2.0),
                ("crude oil", Occur::Should, 1.0)
            ]
        );
        let many = vec!["rain"; 10_000].join(" ");
        assert_eq!(
            merge_repeats(parse(&many, &[]).unwrap().clauses)
                .unwrap()
                .len(),
            1
        );
    }

    use super::*;

    fn facets() -> Vec<String> {
        ["location", "loc", "organization", "org", "source", "date"]
            .map(String::from)
            .to_vec()
    }

    fn occurs(query: &str) -> Vec<(Occur, String, bool)> {
        parse(query, &facets())
            .unwrap()
            .clauses
            .into_iter()
            .map(|c| (c.occur, c.text, c.phrase))
            .collect()
    }

    fn error(query: &str) -> String {
        parse(query, &facets()).unwrap_err().to_string()
    }

    #[test]
    fn plain_words_are_optional_and_signs_make_them_required_or_excluded() {
        use Occur::*;
        assert_eq!(
            occurs("oil +prices -opec"),
            [
                (Should, "oil".into(), false),
                (Must, "prices".into(), false),
                (MustNot, "opec".into(), false)
            ]
        );
    }

    #[test]
    fn and_binds_its_neighbours_and_not_excludes() {
        use Occur::*;
        assert_eq!(
            occurs("mali AND wagner NOT russia OR niger"),
            [
                (Must, "mali".into(), false),
                (Must, "wagner".into(), false),
                (MustNot, "russia".into(), false),
                (Should, "niger".into(), false)
            ]
        );
    }

    #[test]
    fn phrases_and_scopes_parse() {
        let clauses = parse(r#"title:"oil prices" body:cocoa"#, &facets())
            .unwrap()
            .clauses;
        assert_eq!(clauses[0].scope, Scope::Title);
        assert!(clauses[0].phrase);
        assert_eq!(clauses[0].text, "oil prices");
        assert_eq!(clauses[1].scope, Scope::Body);
    }

    #[test]
    fn prefixes_fuzzy_words_and_sloppy_phrases_parse() {
        let parsed = parse(r#"sanction* wagnr~1 wagnr~ "wagner mali"~5 oil"#, &facets()).unwrap();
        let forms: Vec<(&str, Expand, u32)> = parsed
            .clauses
            .iter()
            .map(|c| (c.text.as_str(), c.expand, c.slop))
            .collect();
        assert_eq!(
            forms,
            [
                ("sanction", Expand::Prefix, 0),
                ("wagnr", Expand::Fuzzy(1), 0),
                ("wagnr", Expand::Fuzzy(1), 0),
                ("wagner mali", Expand::Exact, 5),
                ("oil", Expand::Exact, 0)
            ]
        );
    }

    #[test]
    fn inline_facet_filters_are_filters_not_words() {
        let parsed = parse(
            r#"wagner location:Mali org:"United Nations" date:2022-11"#,
            &facets(),
        )
        .unwrap();
        assert_eq!(parsed.clauses.len(), 1);
        assert_eq!(
            parsed.filters,
            [
                ("location".to_string(), "Mali".to_string()),
                ("org".to_string(), "United Nations".to_string()),
                ("date".to_string(), "2022-11".to_string())
            ]
        );
    }

    #[test]
    fn unsupported_forms_are_errors_with_columns() {
        assert_eq!(
            error("oil sanc*tion"),
            "invalid query at column 5: wildcard `sanc*tion`: only a trailing `*` (prefix) is supported"
        );
        assert_eq!(
            error("a*"),
            "invalid query at column 1: prefix `a*` is too short (at least 2 letters before `*`)"
        );
        assert_eq!(
            error("wagnr~3"),
            "invalid query at column 1: fuzzy word `wagnr~3` takes `~0`, `~1` or `~2`"
        );
        assert_eq!(
            error(r#""wagner mali"~x"#),
            "invalid query at column 14: phrase slop `~x` must be `~N` with N from 0 to 100"
        );
        assert_eq!(
            error(r#"oil "prices"#),
            "invalid query at column 5: unclosed quote `\"`"
        );
        assert_eq!(
            error("oil AND"),
            "invalid query at column 5: `AND` needs a term after it"
        );
        assert_eq!(
            error("OR oil"),
            "invalid query at column 1: `OR` needs a term before it"
        );
        assert_eq!(
            error("place:Mali"),
            "invalid query at column 1: unknown field `place` (fields: title, body)"
        );
        assert_eq!(
            error("-loc:Mali"),
            "invalid query at column 1: a facet filter `loc:` cannot be required or excluded"
        );
        assert!(error("(oil)").contains("parentheses"));
    }

    #[test]
    fn colons_inside_words_are_plain_text() {
        assert_eq!(occurs("10:30 deadline").len(), 2);
    }

    #[test]
    fn natural_queries_have_no_operators() {
        let clauses = parse_natural(r#"heat AND -transfer "or" title:x (high-speed)"#);
        let words: Vec<&str> = clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            words,
            [
                "heat", "AND", "transfer", "or", "title", "x", "high", "speed"
            ]
        );
        assert!(
            clauses
                .iter()
                .all(|c| c.occur == Occur::Should && c.scope == Scope::All)
        );
    }

    #[test]
    fn empty_query_has_no_clauses() {
        assert!(parse("   ", &facets()).unwrap().clauses.is_empty());
    }
}
