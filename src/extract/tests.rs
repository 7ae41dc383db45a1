//! Whole-article tests of the [`Extractor`].

use std::path::PathBuf;
use std::sync::OnceLock;

use super::*;

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(Extractor::new)
}

/// Reads a plain-text article: line 1 headline, line 2 dateline, then the
/// body.
fn plain_article(text: &str) -> Article {
    let mut lines = text.splitn(3, '\n');
    Article {
        title: lines.next().map(str::to_string),
        dateline: lines.next().map(|d| d.trim().to_string()),
        body: lines.next().unwrap_or("").to_string(),
        ..Article::default()
    }
}

/// The shared data folder: `$DATELINE_SHARED_DATA`, else `../shared/data`
/// beside the project.
fn shared_data() -> Option<PathBuf> {
    let dir = match std::env::var_os("DATELINE_SHARED_DATA") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
    };
    dir.is_dir().then_some(dir)
}

// A skipped test must say why, or a missing data folder would pass
// silently.
#[allow(clippy::print_stderr)]
fn seed_article() -> Option<Article> {
    let path = shared_data().map(|d| d.join("seed/mali-wagner.txt"));
    match path.as_ref().and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(text) => Some(plain_article(&text)),
        None => {
            eprintln!(
                "skipped: seed article not found (set DATELINE_SHARED_DATA to the shared data folder)"
            );
            None
        }
    }
}

fn location<'a>(e: &'a Entities, name: &str) -> &'a Location {
    e.locations
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no location {name} in {:?}", names(e)))
}

fn names(e: &Entities) -> Vec<&str> {
    e.locations.iter().map(|l| l.name.as_str()).collect()
}

fn org_names(e: &Entities) -> Vec<&str> {
    e.organizations.iter().map(|o| o.name.as_str()).collect()
}

#[test]
fn extractor_is_send_and_sync() {
    fn shared<T: Send + Sync>() {}
    shared::<Extractor>();
}

#[test]
fn seed_article_yields_its_places_and_organizations() {
    let Some(article) = seed_article() else {
        return;
    };
    let e = extractor().extract(&article);
    check_invariants(&article, &e);

    let ankara = location(&e, "Ankara");
    assert_eq!(ankara.facet, "/Asia/Western Asia/Turkey/Ankara");
    assert!(ankara.sources.contains(&Origin::Dateline));

    let uk = location(&e, "United Kingdom");
    assert!(uk.mentions.contains(&"UK".to_string()), "{uk:?}");
    assert!(uk.derived.contains(&"British".to_string()), "{uk:?}");
    assert!(uk.sources.contains(&Origin::Demonym));
    let mali = location(&e, "Mali");
    assert_eq!(mali.facet, "/Africa/Western Africa/Mali");
    assert!(mali.derived.contains(&"Malian".to_string()));
    assert!(!mali.mentions.contains(&"Malian".to_string()));
    assert_eq!(
        location(&e, "Accra").facet,
        "/Africa/Western Africa/Ghana/Accra"
    );
    assert_eq!(location(&e, "Western Africa").mentions, ["West Africa"]);
    assert_eq!(location(&e, "Sahel").facet, "/Africa/Sahel");
    for name in [
        "Syria",
        "Libya",
        "Ukraine",
        "Russia",
        "Niger",
        "Central African Republic",
    ] {
        location(&e, name);
    }
    assert!(
        e.locations
            .iter()
            .all(|l| l.name != "Wagner" && !l.mentions.iter().any(|m| m.contains("Wagner"))),
        "{:?}",
        names(&e)
    );

    let orgs = org_names(&e);
    for name in [
        "Wagner Group",
        "United Nations",
        "House of Commons",
        "MINUSMA",
        "MINUSCA",
    ] {
        assert!(orgs.contains(&name), "no {name} in {orgs:?}");
    }
    let un = e
        .organizations
        .iter()
        .find(|o| o.name == "United Nations")
        .unwrap();
    assert!(un.mentions.contains(&"UN".to_string()));
    let minusma = e
        .organizations
        .iter()
        .find(|o| o.name == "MINUSMA")
        .unwrap();
    // From the acronym rule, not the table: the long form is a mention.
    assert_eq!(minusma.facet, "/United Nations/MINUSMA");
    assert!(
        minusma
            .mentions
            .contains(&"Multidimensional Integrated Stabilization Mission in Mali".to_string())
    );
    let minusca = e
        .organizations
        .iter()
        .find(|o| o.name == "MINUSCA")
        .unwrap();
    assert_eq!(minusca.facet, "/United Nations/MINUSCA");
    assert!(orgs.contains(&"Security Council"), "{orgs:?}");
}

/// A second article of the same shape, written for these tests.
const NAIROBI: &str = "Drought pushes millions in the Horn of Africa to the brink, aid agencies warn
NAIROBI
Kenyan herders say they have lost most of their cattle as a fourth failed rainy season grips the Horn of Africa. The World Food Programme (WFP) said on Tuesday that 22 million people in Kenya, Somalia and Ethiopia now face severe hunger.
The African Union called on donors meeting in Addis Ababa to release funds quickly, while the UN Office for the Coordination of Humanitarian Affairs warned that camps near Mogadishu were overflowing.
\u{201c}We are seeing families walk for days,\u{201d} a WFP official in Nairobi told reporters. Somali and Ethiopian officials said cholera had spread along the border with Kenya.
The International Monetary Fund said the crisis would weigh on growth across East Africa this year.";

#[test]
fn drought_article_yields_its_places_and_organizations() {
    let article = plain_article(NAIROBI);
    let e = extractor().extract(&article);
    check_invariants(&article, &e);

    let nairobi = location(&e, "Nairobi");
    assert_eq!(nairobi.facet, "/Africa/Eastern Africa/Kenya/Nairobi");
    assert_eq!(nairobi.sources, [Origin::Text, Origin::Dateline]);
    let kenya = location(&e, "Kenya");
    assert_eq!(kenya.mentions, ["Kenya"]);
    assert_eq!(kenya.derived, ["Kenyan"]);
    assert_eq!(location(&e, "Somalia").derived, ["Somali"]);
    assert_eq!(location(&e, "Ethiopia").derived, ["Ethiopian"]);
    let horn = location(&e, "Horn of Africa");
    assert_eq!(horn.facet, "/Africa/Horn of Africa");
    assert_eq!(horn.sources, [Origin::Text, Origin::Title]);
    assert_eq!(location(&e, "Eastern Africa").mentions, ["East Africa"]);
    assert_eq!(
        location(&e, "Addis Ababa").facet,
        "/Africa/Eastern Africa/Ethiopia/Addis Ababa"
    );
    location(&e, "Mogadishu");

    let wfp = e
        .organizations
        .iter()
        .find(|o| o.name == "World Food Programme")
        .unwrap();
    assert_eq!(wfp.facet, "/United Nations/World Food Programme");
    assert_eq!(wfp.mentions, ["World Food Programme", "WFP"]);
    assert_eq!(wfp.spans.len(), 3);
    let orgs = org_names(&e);
    for name in ["African Union", "OCHA", "International Monetary Fund"] {
        assert!(orgs.contains(&name), "no {name} in {orgs:?}");
    }
    // "African" inside "African Union" is not a derived mention of Africa.
    assert!(
        e.locations.iter().all(|l| l.name != "Africa"),
        "{:?}",
        names(&e)
    );
}

#[test]
fn entries_are_ordered_by_mention_count() {
    let e = extractor().extract(&plain_article(NAIROBI));
    let counts: Vec<usize> = e.locations.iter().map(|l| l.spans.len()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let counts: Vec<usize> = e.organizations.iter().map(|o| o.spans.len()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

#[test]
fn metadata_places_and_organizations_resolve_through_the_tables() {
    let article = Article {
        body: "Prices rose.".to_string(),
        given_locations: vec![
            "usa".into(),
            "west germany".into(),
            "nowhere-upon-xyzzy".into(),
        ],
        given_organizations: vec!["worldbank".into(), "opec".into(), "acme mining".into()],
        ..Article::default()
    };
    let e = extractor().extract(&article);
    assert_eq!(names(&e), ["United States", "Germany"]);
    assert!(e.locations.iter().all(|l| l.sources == [Origin::Metadata]));
    assert_eq!(org_names(&e), ["World Bank", "OPEC", "Acme Mining"]);
    assert!(
        e.organizations
            .iter()
            .all(|o| o.sources == [Origin::Metadata])
    );
}

#[test]
fn a_place_in_text_and_metadata_lists_both_sources() {
    let article = Article {
        title: Some("Ghana cocoa arrivals rise".into()),
        body: "Cocoa arrivals in Ghana rose.".into(),
        given_locations: vec!["ghana".into()],
        ..Article::default()
    };
    let e = extractor().extract(&article);
    assert_eq!(e.locations.len(), 1);
    assert_eq!(
        e.locations[0].sources,
        [Origin::Text, Origin::Title, Origin::Metadata]
    );
    assert_eq!(e.locations[0].spans[0].part, Part::Title);
}

#[test]
fn publication_date_comes_from_metadata_first() {
    let article = Article {
        published: Some("2024-03-05".parse().unwrap()),
        body: "BRUSSELS 1996-08-22 The EU met.".into(),
        path: "2020-01-01-x.txt".into(),
        ..Article::default()
    };
    let e = extractor().extract(&article);
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(e.published_source, Some(Origin::Metadata));
}

#[test]
fn publication_date_parses_raw_metadata_strings() {
    let article = Article {
        published_raw: Some("26-FEB-1987 15:01:01.79".into()),
        ..Article::default()
    };
    let e = extractor().extract(&article);
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("1987-02-26")
    );
    assert_eq!(e.published_source, Some(Origin::Metadata));
}

#[test]
fn publication_date_falls_back_to_the_text_then_the_file_name() {
    let text = Article {
        body: "BRUSSELS 1996-08-22\nThe EU met.".into(),
        path: "2020-01-01-x.txt".into(),
        ..Article::default()
    };
    let e = extractor().extract(&text);
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("1996-08-22")
    );
    assert_eq!(e.published_source, Some(Origin::Text));

    let dateline = Article {
        dateline: Some("ACCRA".into()),
        dateline_line: Some("ACCRA, March 3, 2024".into()),
        body: "Cocoa arrivals rose.".into(),
        ..Article::default()
    };
    let e = extractor().extract(&dateline);
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("2024-03-03")
    );
    assert_eq!(e.published_source, Some(Origin::Text));

    let file = Article {
        body: "Cocoa arrivals rose in May.".into(),
        path: "news/2024-03-05-ghana-cocoa.txt".into(),
        ..Article::default()
    };
    let e = extractor().extract(&file);
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(e.published_source, Some(Origin::Filename));

    let none = Article {
        body: "Cocoa arrivals rose on Feb 26.".into(),
        path: "ghana-cocoa.txt".into(),
        ..Article::default()
    };
    let e = extractor().extract(&none);
    assert_eq!((e.published, e.published_source), (None, None));
}

#[test]
fn title_spans_point_into_the_title() {
    let article = Article {
        title: Some("São Paulo and Côte d'Ivoire sign cocoa deal".into()),
        body: "Officials from Côte d'Ivoire met in São Paulo.".into(),
        ..Article::default()
    };
    let e = extractor().extract(&article);
    let title: Vec<char> = article.title.as_ref().unwrap().chars().collect();
    let body: Vec<char> = article.body.chars().collect();
    for loc in &e.locations {
        for span in &loc.spans {
            let chars = if span.part == Part::Title {
                &title
            } else {
                &body
            };
            let text: String = chars[span.start..span.end].iter().collect();
            assert!(
                loc.mentions.contains(&text),
                "{text} not in {:?}",
                loc.mentions
            );
        }
    }
    assert_eq!(names(&e), ["São Paulo", "Ivory Coast"]);
}

#[test]
fn extraction_never_panics_on_odd_text() {
    for body in [
        "", "(", "()", "(A)", "a (AB", "\u{201c}", "Mali,", ", Jordan", "é(É)", "U.S.", "in",
    ] {
        let article = Article {
            title: Some(body.to_string()),
            body: body.to_string(),
            dateline: Some(body.to_string()),
            ..Article::default()
        };
        extractor().extract(&article);
    }
}

// A skipped test must say why, or a missing data folder would pass
// silently.
#[allow(clippy::print_stderr)]
fn bbc_articles() -> Vec<Article> {
    let Some(dir) = shared_data().map(|d| d.join("bbc")) else {
        eprintln!("skipped: BBC corpus not found (set DATELINE_SHARED_DATA)");
        return Vec::new();
    };
    let mut articles = Vec::new();
    for topic in ["business", "entertainment", "politics", "sport", "tech"] {
        let Ok(entries) = std::fs::read_dir(dir.join(topic)) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
            articles.push(Article {
                title: Some(title.to_string()),
                body: body.to_string(),
                path: entry.path(),
                ..Article::default()
            });
        }
    }
    articles
}

/// Checks what every extraction promises: spans point at their mention,
/// mentions are distinct, facets are well formed.
fn check_invariants(article: &Article, e: &Entities) {
    let title: Vec<char> = article.title.as_deref().unwrap_or("").chars().collect();
    let body: Vec<char> = article.body.chars().collect();
    let span_text = |span: &Span| -> String {
        let chars = if span.part == Part::Title {
            &title
        } else {
            &body
        };
        chars[span.start..span.end].iter().collect()
    };
    let well_formed =
        |facet: &str| facet.starts_with('/') && facet[1..].split('/').all(|s| !s.trim().is_empty());
    for loc in &e.locations {
        assert!(well_formed(&loc.facet), "{}", loc.facet);
        assert!(!loc.sources.is_empty());
        for span in &loc.spans {
            let list = if span.derived {
                &loc.derived
            } else {
                &loc.mentions
            };
            assert!(
                list.contains(&span_text(span)),
                "{:?} in {:?}",
                span,
                article.path
            );
        }
        let distinct: std::collections::HashSet<&String> = loc.mentions.iter().collect();
        assert_eq!(distinct.len(), loc.mentions.len());
        assert!(loc.derived.iter().all(|d| !loc.mentions.contains(d)));
    }
    for org in &e.organizations {
        assert!(well_formed(&org.facet), "{}", org.facet);
        for span in &org.spans {
            assert!(
                org.mentions.contains(&span_text(span)),
                "{span:?} in {:?}",
                article.path
            );
        }
    }
}

#[test]
fn extraction_keeps_its_promises_on_the_bbc_corpus() {
    let articles = bbc_articles();
    let mut with_places = 0;
    for article in &articles {
        let e = extractor().extract(article);
        check_invariants(article, &e);
        with_places += usize::from(!e.locations.is_empty());
    }
    // Nearly every news story names a place.
    assert!(
        with_places * 10 >= articles.len() * 8,
        "{with_places} of {}",
        articles.len()
    );
}

#[test]
fn a_date_mentioned_in_the_lead_sentence_is_not_the_publication_date() {
    let article = Article {
        body: "The attacks of 11 September 2001 changed how airports screen \
               passengers, officials said on a visit that lasted most of the week \
               and took them to three cities.\n\nMore text."
            .into(),
        ..Article::default()
    };
    assert_eq!(extractor().extract(&article).published, None);
    let dated = Article {
        body: "LIMA, June 4, 2023 - Protesters blocked the road to the copper mine \
               for a third week, police said, as talks with the company stalled."
            .into(),
        ..Article::default()
    };
    assert_eq!(
        extractor()
            .extract(&dated)
            .published
            .map(|d| d.to_string())
            .as_deref(),
        Some("2023-06-04")
    );
}

#[test]
fn a_yearless_dateline_takes_its_year_from_the_path_then_the_text() {
    let from_path = Article {
        dateline: Some("LONDON".into()),
        dateline_line: Some("LONDON, Nov 14 (Reuters)".into()),
        body: "Shares fell as the 2019 rules began.".into(),
        path: "wire/2022/markets.txt".into(),
        ..Article::default()
    };
    let e = extractor().extract(&from_path);
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("2022-11-14")
    );
    assert_eq!(e.published_source, Some(Origin::Text));

    let from_text = Article {
        body: "LONDON, Nov 14 (Reuters) - Shares fell after the budget of February \
               2022, the first since 2019, ahead of targets set for 2030."
            .into(),
        ..Article::default()
    };
    let e = extractor().extract(&from_text);
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("2022-11-14")
    );
    assert_eq!(e.published_source, Some(Origin::Text));
}

#[test]
fn mentioned_dates_resolve_relative_words_once_the_publication_date_is_known() {
    let article = Article {
        body: "Ministers met on Monday, after talks in February and since 2012.".into(),
        path: "2024-03-06-talks.txt".into(),
        ..Article::default()
    };
    let e = extractor().extract(&article);
    let values: Vec<(&str, &str)> = e
        .dates
        .iter()
        .map(|d| (d.text.as_str(), d.value.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("Monday", "2024-03-04"),
            ("February", "2024-02"),
            ("2012", "2012")
        ]
    );
    let chars: Vec<char> = article.body.chars().collect();
    for d in &e.dates {
        let text: String = chars[d.start..d.end].iter().collect();
        assert_eq!(text, d.text);
    }
    let undated = Article {
        path: "talks.txt".into(),
        ..article
    };
    let values: Vec<String> = extractor()
        .extract(&undated)
        .dates
        .into_iter()
        .map(|d| d.value)
        .collect();
    assert_eq!(values, ["2012"]);
}

fn facets_of(title: &str, body: &str) -> (Vec<String>, Vec<String>) {
    let article = Article {
        title: Some(title.to_string()),
        body: body.to_string(),
        ..Article::default()
    };
    let e = extractor().extract(&article);
    (
        e.locations.iter().map(|l| l.facet.clone()).collect(),
        e.organizations.iter().map(|o| o.facet.clone()).collect(),
    )
}

#[test]
fn rivers_currencies_and_places_the_tagger_is_unsure_of_are_not_organizations() {
    let (locations, orgs) = facets_of(
        "Sudan fighting spreads",
        "Fighting turned Khartoum and its twin cities across the Nile into battlefields. \
         The first grain ship left Odesa, Ukraine, on Monday, and more ships left the port \
         of Odesa later. Senegal kept its ties with the CFA franc, the regional currency.",
    );
    for not_an_org in ["/Nile", "/Odesa", "/CFA"] {
        assert!(!orgs.iter().any(|o| o == not_an_org), "{orgs:?}");
    }
    assert!(
        locations.iter().any(|l| l.ends_with("/Ukraine/Odesa")),
        "{locations:?}"
    );
}

#[test]
fn a_word_capitalised_only_by_its_position_is_no_name() {
    let (locations, orgs) = facets_of(
        "Ghana Cocoa Farmers Count Losses As Disease Cuts Harvest",
        "ACCRA, March 5 - Cocoa deliveries to the state board fell this season. Farmers \
         said disease had cut the cocoa harvest by a third.",
    );
    assert!(orgs.is_empty(), "{orgs:?}");
    assert!(
        !locations.iter().any(|l| l.to_lowercase().contains("cocoa")),
        "{locations:?}"
    );
    assert!(
        locations.iter().any(|l| l.ends_with("/Ghana")),
        "{locations:?}"
    );
}

#[test]
fn a_place_opening_an_events_name_is_not_counted() {
    let (locations, _) = facets_of(
        "Sabalenka wins her first title in New York",
        "Aryna Sabalenka won the U.S. Open on Saturday after losing the Australian Open \
         final in January. Fans also followed the Berlin Marathon.",
    );
    for not_a_place in ["United States", "Australia", "Berlin"] {
        assert!(
            !locations.iter().any(|l| l.ends_with(not_a_place)),
            "{locations:?}"
        );
    }
}

#[test]
fn plain_ascii_spellings_of_accented_cities_are_found() {
    let (locations, _) = facets_of(
        "Floods hit two cities",
        "Heavy rain flooded San Jose, the capital of Costa Rica, and the Vietnamese \
         city of Can Tho on Monday.",
    );
    assert!(
        locations
            .iter()
            .any(|l| l == "/North America/Central America/Costa Rica/San José"),
        "{locations:?}"
    );
    assert!(
        locations
            .iter()
            .any(|l| l == "/Asia/South-eastern Asia/Vietnam/Cần Thơ"),
        "{locations:?}"
    );
}
