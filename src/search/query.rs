//! The query language: words, `"phrases"`, `+required`, `-excluded`,
//! `AND`/`OR`/`NOT`, and `title:`/`body:` scopes.
//!
//! Parsed by hand rather than with tantivy's query parser so that every
//! error has a column, and forms Dateline does not support yet (`sanction*`,
//! `wagnr~1`) are refused instead of being silently changed.

use crate::error::{Error, Result};

/// Whether a clause is optional, required or excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Occur {
    Should,
    Must,
    MustNot,
}

/// Which text a clause searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Title and body.
    All,
    Title,
    Body,
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
    /// Scales the clause's score (1 for what the user typed).
    pub weight: f32,
    /// Only re-ranks articles that other clauses matched (feedback terms).
    pub rerank_only: bool,
}

const FIELDS: &[&str] = &["title", "body"];

/// Parses a query; an empty or blank query gives no clauses.
pub(crate) fn parse(query: &str, facet_names: &[String]) -> Result<Vec<Clause>> {
    let chars: Vec<char> = query.chars().collect();
    let error = |column: usize, message: String| Error::Query {
        column: column + 1,
        message,
    };
    let mut clauses: Vec<Clause> = Vec::new();
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
                        return Err(error(
                            i,
                            format!(
                                "inline facet filters like `{name}:` are not supported yet (use the --{lower} option)"
                            ),
                        ));
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
        if end < chars.len() && !chars[end].is_whitespace() {
            let rest: String = chars[end..scan_token_end(&chars, end)].iter().collect();
            if rest.starts_with('~') {
                return Err(error(
                    end,
                    format!("phrase proximity `{rest}` is not supported yet"),
                ));
            }
            return Err(error(
                end,
                format!("expected a space after the phrase, found `{rest}`"),
            ));
        }
        if !phrase {
            check_word(&text, i).map_err(|(col, message)| error(col, message))?;
        }
        clauses.push(Clause {
            occur,
            scope,
            text,
            phrase,
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
    Ok(clauses)
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
            weight: 1.0,
            rerank_only: false,
        })
        .collect()
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

/// Refuses syntax that other engines accept but Dateline does not support yet.
fn check_word(word: &str, column: usize) -> std::result::Result<(), (usize, String)> {
    for (offset, c) in word.chars().enumerate() {
        let message = match c {
            '*' => format!("wildcard `{word}` is not supported yet"),
            '~' => format!("fuzzy term `{word}` is not supported yet"),
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facets() -> Vec<String> {
        ["location", "loc", "organization", "org", "source", "date"]
            .map(String::from)
            .to_vec()
    }

    fn occurs(query: &str) -> Vec<(Occur, String, bool)> {
        parse(query, &facets())
            .unwrap()
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
        let clauses = parse(r#"title:"oil prices" body:cocoa"#, &facets()).unwrap();
        assert_eq!(clauses[0].scope, Scope::Title);
        assert!(clauses[0].phrase);
        assert_eq!(clauses[0].text, "oil prices");
        assert_eq!(clauses[1].scope, Scope::Body);
    }

    #[test]
    fn unsupported_forms_are_errors_with_columns() {
        assert_eq!(
            error("oil sanction*"),
            "invalid query at column 5: wildcard `sanction*` is not supported yet"
        );
        assert_eq!(
            error("wagnr~1"),
            "invalid query at column 1: fuzzy term `wagnr~1` is not supported yet"
        );
        assert_eq!(
            error(r#""wagner mali"~5"#),
            "invalid query at column 14: phrase proximity `~5` is not supported yet"
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
        assert!(error("loc:Mali").contains("--loc option"));
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
        assert!(parse("   ", &facets()).unwrap().is_empty());
    }
}
