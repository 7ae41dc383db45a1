//! End-to-end behaviour of the `dateline` binary on the bundled sample corpus:
//! the JSON contracts, filters against an independent oracle, idempotent
//! indexing, exit codes and the seed-shaped articles.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{dateline, json, json_lines, run, slice_chars};
use serde_json::Value;

/// The sample corpus indexed once for all tests of this binary.
fn sample_index() -> &'static Path {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        run(
            dateline()
                .args(["index", "--quiet", "sample-corpus", "--index"])
                .arg(&path),
            0,
        );
        (dir, path)
    });
    path
}

/// `dateline extract sample-corpus --json`, parsed.
fn extracted() -> &'static Vec<Value> {
    static RECORDS: OnceLock<Vec<Value>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        json_lines(&run(
            dateline().args(["extract", "--json", "sample-corpus"]),
            0,
        ))
    })
}

fn search(args: &[&str]) -> Value {
    let output = dateline()
        .arg("search")
        .args(args)
        .args(["--json", "--limit", "1000", "--index"])
        .arg(sample_index())
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&output)
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Ids of the hits plus the duplicates folded into them.
fn hit_ids(results: &Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for hit in results["hits"].as_array().unwrap() {
        ids.insert(hit["id"].as_str().unwrap().to_string());
        ids.extend(strings(hit, "also_at"));
    }
    ids
}

fn facets_of(record: &Value, kind: &str) -> Vec<String> {
    record[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["facet"].as_str().unwrap().to_string())
        .collect()
}

/// True when `facet` is `node` or lies below it.
fn under(facet: &str, node: &str) -> bool {
    facet == node || facet.starts_with(&format!("{node}/"))
}

#[test]
fn sample_corpus_has_the_promised_breadth() {
    let records = extracted();
    let files: BTreeSet<&str> = records
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    let mut countries = BTreeSet::new();
    let mut continents = BTreeSet::new();
    let mut organizations = BTreeSet::new();
    let mut years = BTreeSet::new();
    let mut undated = 0;
    for record in records {
        for facet in facets_of(record, "locations") {
            let parts: Vec<&str> = facet.split('/').skip(1).collect();
            if parts.len() >= 3 {
                countries.insert(parts[2].to_string());
                continents.insert(parts[0].to_string());
            }
        }
        organizations.extend(facets_of(record, "organizations"));
        match record["published"].as_str() {
            Some(date) => {
                years.insert(date[..4].to_string());
            }
            None => undated += 1,
        }
    }
    assert!(files.len() >= 40, "{} files", files.len());
    assert!(records.len() >= 50, "{} articles", records.len());
    assert!(
        countries.len() >= 20,
        "{} countries: {countries:?}",
        countries.len()
    );
    assert!(continents.len() >= 5, "continents: {continents:?}");
    assert!(
        organizations.len() >= 25,
        "{} organizations: {organizations:?}",
        organizations.len()
    );
    assert!(years.len() >= 3, "years: {years:?}");
    assert!(undated >= 5, "{undated} undated");
}

#[test]
fn every_sample_file_format_is_represented() {
    let records = extracted();
    let extensions: BTreeSet<String> = records
        .iter()
        .filter_map(|r| {
            Path::new(r["path"].as_str().unwrap())
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
        })
        .collect();
    for ext in ["txt", "md", "json", "jsonl", "sgm", "html"] {
        assert!(
            extensions.contains(ext),
            "no .{ext} article in {extensions:?}"
        );
    }
}

#[test]
fn filters_give_exactly_what_an_oracle_over_extract_output_gives() {
    let records = extracted();
    type Pred = Box<dyn Fn(&Value) -> bool>;
    let loc = |node: &'static str| -> Pred {
        Box::new(move |r: &Value| facets_of(r, "locations").iter().any(|f| under(f, node)))
    };
    let org = |node: &'static str| -> Pred {
        Box::new(move |r: &Value| facets_of(r, "organizations").iter().any(|f| under(f, node)))
    };
    let date = |from: &'static str, to: &'static str| -> Pred {
        Box::new(move |r: &Value| {
            r["published"]
                .as_str()
                .is_some_and(|d| d >= from && d <= to)
        })
    };
    let cases: Vec<(Vec<&str>, Pred)> = vec![
        (vec!["--location", "/Africa"], loc("/Africa")),
        (vec!["--location", "/Asia"], loc("/Asia")),
        (
            vec!["--location", "/Europe", "--location", "/South America"],
            Box::new(move |r: &Value| loc("/Europe")(r) || loc("/South America")(r)),
        ),
        (vec!["--org", "/United Nations"], org("/United Nations")),
        (
            vec!["--from", "2023", "--to", "2023"],
            date("2023-01-01", "2023-12-31"),
        ),
        (vec!["--from", "2024-03"], date("2024-03-01", "9999-12-31")),
        (
            vec![
                "--location",
                "/Africa",
                "--from",
                "2022-01-01",
                "--to",
                "2024-06-30",
            ],
            Box::new(move |r: &Value| loc("/Africa")(r) && date("2022-01-01", "2024-06-30")(r)),
        ),
        (
            vec!["--location", "/Africa", "--org", "/African Union"],
            Box::new(move |r: &Value| loc("/Africa")(r) && org("/African Union")(r)),
        ),
    ];
    let all: BTreeSet<String> = records
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    for (args, predicate) in cases {
        let expected: BTreeSet<String> = records
            .iter()
            .filter(|r| predicate(r))
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < all.len(),
            "case {args:?} must match some but not all articles ({} of {})",
            expected.len(),
            all.len()
        );
        let results = search(&args);
        assert_eq!(hit_ids(&results), expected, "filter {args:?}");
        let indexed = results["hits"].as_array().unwrap().len();
        assert_eq!(
            results["total_articles"].as_u64().unwrap() as usize,
            indexed,
            "total_articles is exact for {args:?}"
        );
    }
}

#[test]
fn facet_counts_are_per_article_and_ignore_their_own_filter() {
    let unfiltered = search(&[]);
    let africa = search(&["--location", "/Africa"]);
    // Multi-select: location counts under an active /Africa are its regions,
    // computed without the location filter's effect on other facets.
    let regions: Vec<String> = africa["facets"]["location"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !regions.is_empty() && regions.iter().all(|r| r.starts_with("/Africa/")),
        "{regions:?}"
    );
    // Year counts honour the location filter and sum to at most the total.
    let years: u64 = africa["facets"]["date"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert!(years <= africa["total_articles"].as_u64().unwrap());
    let top_continents: BTreeMap<String, u64> = unfiltered["facets"]["location"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        top_continents.get("/Africa").copied(),
        africa["total_articles"].as_u64()
    );
}

#[test]
fn search_json_passages_are_slices_of_the_body_with_highlights_inside() {
    let results = search(&["oil", "prices"]);
    let hits = results["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for (i, hit) in hits.iter().enumerate() {
        assert_eq!(hit["rank"].as_u64().unwrap() as usize, i + 1);
        for key in [
            "score",
            "id",
            "path",
            "title",
            "published",
            "url",
            "source",
            "also_at",
            "locations",
            "organizations",
            "passages",
        ] {
            assert!(hit.get(key).is_some(), "hit lacks `{key}`");
        }
        let shown = json(&run(
            dateline()
                .args(["show", "--json", hit["id"].as_str().unwrap(), "--index"])
                .arg(sample_index()),
            0,
        ));
        let body = shown["body"].as_str().unwrap();
        for passage in hit["passages"].as_array().unwrap() {
            let (start, end) = (
                passage["start"].as_u64().unwrap() as usize,
                passage["end"].as_u64().unwrap() as usize,
            );
            let text = passage["text"].as_str().unwrap();
            assert_eq!(slice_chars(body, start, end), text);
            for pair in passage["highlights"].as_array().unwrap() {
                let (s, e) = (
                    pair[0].as_u64().unwrap() as usize,
                    pair[1].as_u64().unwrap() as usize,
                );
                assert!(s < e && e <= text.chars().count());
                let word = slice_chars(text, s, e).to_lowercase();
                // Stemmed forms count: "pricing" and "prices" both stem to "price".
                assert!(
                    word.starts_with("oil") || word.starts_with("pric"),
                    "highlight `{word}`"
                );
            }
        }
    }
    let first = hits[0]["passages"][0]["highlights"].as_array().unwrap();
    assert!(
        !first.is_empty(),
        "the best passage of the best hit has highlights"
    );
}

#[test]
fn paging_continues_ranks() {
    let all = search(&["--sort", "date"]);
    let page = dateline()
        .args([
            "search", "--json", "--sort", "date", "--limit", "3", "--offset", "3", "--index",
        ])
        .arg(sample_index())
        .output()
        .unwrap();
    let page = json(&page);
    let ids: Vec<&str> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = all["hits"].as_array().unwrap()[3..6]
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(page["hits"][0]["rank"], 4);
}

#[test]
fn extract_json_lines_follow_the_contract() {
    for record in extracted() {
        for key in [
            "id",
            "path",
            "title",
            "url",
            "source",
            "published",
            "published_source",
            "dateline",
            "locations",
            "organizations",
        ] {
            assert!(record.get(key).is_some(), "record lacks `{key}`: {record}");
        }
        for location in record["locations"].as_array().unwrap() {
            let mentions = strings(location, "mentions");
            let derived = strings(location, "derived");
            assert!(mentions.iter().all(|m| !derived.contains(m)));
            let unique: BTreeSet<&String> = mentions.iter().collect();
            assert_eq!(unique.len(), mentions.len(), "mentions are distinct");
            for source in strings(location, "sources") {
                assert!(
                    ["text", "title", "dateline", "metadata", "demonym"].contains(&source.as_str())
                );
            }
        }
        if let Some(date) = record["published"].as_str() {
            assert!(date.len() == 10 && date.as_bytes()[4] == b'-');
            assert!(
                ["metadata", "text", "filename"]
                    .contains(&record["published_source"].as_str().unwrap())
            );
        }
    }
}

#[test]
fn indexing_twice_gives_the_same_articles_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let summary = |output: std::process::Output| json(&output);
    let first = summary(run(
        dateline()
            .args(["index", "--quiet", "--json", "sample-corpus", "--index"])
            .arg(&index),
        0,
    ));
    let before = json(
        &dateline()
            .args(["search", "--json", "--limit", "1000", "--index"])
            .arg(&index)
            .output()
            .unwrap(),
    );
    let second = summary(run(
        dateline()
            .args(["index", "--quiet", "--json", "./sample-corpus/", "--index"])
            .arg(&index),
        0,
    ));
    let after = json(
        &dateline()
            .args(["search", "--json", "--limit", "1000", "--index"])
            .arg(&index)
            .output()
            .unwrap(),
    );
    // The second run finds every file as the manifest records it.
    assert_eq!(second["files_changed"], 0);
    assert_eq!(second["articles_indexed"], 0);
    assert_eq!(first["files_changed"], second["files_unchanged"]);
    assert_eq!(before["total_articles"], after["total_articles"]);
    assert_eq!(before["facets"], after["facets"]);
    assert_eq!(hit_ids(&before), hit_ids(&after));
    assert!(
        first["duplicates"].as_u64().unwrap() >= 1,
        "the sample corpus holds a deliberate duplicate"
    );
}

#[test]
fn exit_codes_are_0_hits_1_none_2_errors_with_empty_stdout() {
    let index = sample_index();
    run(dateline().args(["search", "oil", "--index"]).arg(index), 0);
    let none = run(
        dateline()
            .args(["search", "zzzqqqxxy", "--json", "--index"])
            .arg(index),
        1,
    );
    assert_eq!(json(&none)["total_articles"], 0);
    for args in [
        vec!["sanc*tion"],
        vec!["\"open"],
        vec!["--from", "2024-13"],
        vec!["--location", "Mali", "--organization", "x", "place:x"],
    ] {
        let output = run(
            dateline()
                .arg("search")
                .args(&args)
                .args(["--json", "--index"])
                .arg(index),
            2,
        );
        assert!(output.stdout.is_empty());
        assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: "));
    }
    let missing = run(
        dateline().args(["search", "oil", "--index", "/nonexistent/dateline-index"]),
        2,
    );
    assert!(String::from_utf8_lossy(&missing.stderr).contains("hint:"));
    run(
        dateline()
            .args(["show", "no/such/id", "--index"])
            .arg(index),
        1,
    );
}

#[test]
fn indexing_a_missing_path_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = run(
        dateline()
            .args(["index", "no-such-folder", "--index"])
            .arg(&index),
        2,
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("`no-such-folder`"));
    assert!(!index.exists(), "no index is created for a failed run");
}

#[test]
fn query_errors_name_the_column() {
    let output = run(
        dateline()
            .args(["search", "oil sanc*tion", "--index"])
            .arg(sample_index()),
        2,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("column 5") && stderr.contains("sanc*tion"),
        "{stderr}"
    );
}

#[test]
fn completions_are_printed() {
    let output = run(dateline().args(["completions", "bash"]), 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("dateline"));
}

/// Checks the shared expectations for a seed-shaped article.
fn check_seed_shape(record: &Value, dateline_city: &str, places: &[&str], organizations: &[&str]) {
    let names = |kind: &str| -> Vec<String> {
        record[kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    };
    let locations = names("locations");
    let orgs = names("organizations");
    assert_eq!(
        record["dateline"].as_str().map(str::to_uppercase),
        Some(dateline_city.to_uppercase())
    );
    let dateline_place = record["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| strings(l, "sources").contains(&"dateline".to_string()));
    assert_eq!(
        dateline_place.map(|l| l["name"].as_str().unwrap()),
        Some(dateline_city),
        "dateline place in {locations:?}"
    );
    for place in places {
        assert!(
            locations.iter().any(|l| l == place),
            "{place} missing from {locations:?}"
        );
    }
    for org in organizations {
        assert!(orgs.iter().any(|o| o == org), "{org} missing from {orgs:?}");
    }
}

#[test]
fn seed_article_has_its_dateline_places_and_organizations() {
    let Some(data) = common::shared_data("seed_article_has_its_dateline_places_and_organizations")
    else {
        return;
    };
    let output = run(
        dateline()
            .args(["extract", "--json"])
            .arg(data.join("seed/mali-wagner.txt")),
        0,
    );
    let records = json_lines(&output);
    assert_eq!(records.len(), 1);
    eprintln!("seed extract: {}", records[0]);
    let record = &records[0];
    check_seed_shape(
        record,
        "Ankara",
        &[
            "Mali",
            "United Kingdom",
            "Ukraine",
            "Syria",
            "Libya",
            "Central African Republic",
            "Niger",
            "Russia",
            "Accra",
            "Western Africa",
            "Sahel",
        ],
        &[
            "Wagner Group",
            "United Nations",
            "Security Council",
            "House of Commons",
            "MINUSMA",
            "MINUSCA",
        ],
    );
    assert_eq!(focus_names(record), ["Mali"]);
    // MINUSMA and MINUSCA come from the acronym rule (no table entry): the
    // long form the article writes is one of their mentions.
    let org = |name: &str| {
        record["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(org("MINUSMA")["facet"], "/United Nations/MINUSMA");
    assert!(
        strings(&org("MINUSMA"), "mentions")
            .contains(&"Multidimensional Integrated Stabilization Mission in Mali".to_string())
    );
    assert_eq!(org("MINUSCA")["facet"], "/United Nations/MINUSCA");
    assert_eq!(
        org("Security Council")["facet"],
        "/United Nations/Security Council"
    );
    assert!(strings(&org("United Nations"), "mentions").contains(&"UN".to_string()));
    assert_no_person_entities(record, &["Heappey", "Macron", "Emmanuel", "James"]);
    // No publication date anywhere, so only dates with their year are kept.
    assert_eq!(record["published"], Value::Null);
    assert_eq!(record["published_source"], Value::Null);
    assert_eq!(
        date_pairs(record),
        [("2012", "2012"), ("2013", "2013"), ("2014", "2014")]
    );
}

fn focus_names(record: &Value) -> Vec<String> {
    record["focus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

fn date_pairs(record: &Value) -> Vec<(&str, &str)> {
    record["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["text"].as_str().unwrap(), d["value"].as_str().unwrap()))
        .collect()
}

/// No location or organization is named by, or mentioned as, a person's name.
fn assert_no_person_entities(record: &Value, people: &[&str]) {
    for kind in ["locations", "organizations"] {
        for entry in record[kind].as_array().unwrap() {
            let name = entry["name"].as_str().unwrap();
            let mentions = strings(entry, "mentions");
            for person in people {
                assert!(
                    !name.contains(person) && !mentions.iter().any(|m| m.contains(person)),
                    "{person} in {kind}: {entry}"
                );
            }
        }
    }
}

#[test]
fn our_mekong_article_has_its_dateline_places_focus_organizations_and_dates() {
    let output = run(
        dateline().args([
            "extract",
            "--json",
            "sample-corpus/text/2024-10-15-mekong-dams.txt",
        ]),
        0,
    );
    let records = json_lines(&output);
    assert_eq!(records.len(), 1);
    let record = &records[0];
    check_seed_shape(
        record,
        "Vientiane",
        &[
            "Laos",
            "Cambodia",
            "Vietnam",
            "Thailand",
            "China",
            "Phnom Penh",
        ],
        &["MRC", "ASEAN", "Asian Development Bank"],
    );
    let location = |name: &str| {
        record["locations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        location("Vientiane")["facet"],
        "/Asia/South-eastern Asia/Laos/Vientiane"
    );
    assert_eq!(
        location("Phnom Penh")["facet"],
        "/Asia/South-eastern Asia/Cambodia/Phnom Penh"
    );
    assert_eq!(strings(&location("Cambodia"), "derived"), ["Cambodian"]);
    assert_eq!(strings(&location("Vietnam"), "derived"), ["Vietnamese"]);
    assert_eq!(focus_names(record)[0], "Laos");
    // The acronym the article defines names the organization.
    let mrc = record["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "MRC")
        .unwrap();
    assert_eq!(mrc["facet"], "/MRC");
    assert_eq!(strings(mrc, "mentions"), ["Mekong River Commission", "MRC"]);
    // "Jordan" is the analyst's first name; the prime minister is a person.
    assert_no_person_entities(record, &["Jordan", "Hayes", "Sonexay", "Siphandone"]);
    assert_eq!(record["published"], "2024-10-15");
    assert_eq!(record["published_source"], "filename");
    // 2024-10-15 is a Tuesday; "in March" looks back, "in October" is now.
    assert_eq!(
        date_pairs(record),
        [
            ("Tuesday", "2024-10-15"),
            ("2019", "2019"),
            ("November 2023", "2023-11"),
            ("March", "2024-03"),
            ("Sunday", "2024-10-13"),
            ("October", "2024-10"),
        ]
    );
}

#[test]
fn our_seed_shaped_article_gets_the_same_treatment() {
    let output = run(
        dateline().args([
            "extract",
            "--json",
            "sample-corpus/text/kenya-drought-aid.txt",
        ]),
        0,
    );
    let records = json_lines(&output);
    assert_eq!(records.len(), 1);
    check_seed_shape(
        &records[0],
        "Nairobi",
        &["Kenya", "Somalia", "Ethiopia"],
        &["African Union", "World Food Programme"],
    );
}

#[test]
fn facets_drill_down_lists_the_children_of_the_selected_node() {
    let index = sample_index();
    let output = run(
        dateline()
            .args([
                "facets",
                "--location",
                "/Africa",
                "--facet",
                "location",
                "--json",
                "--index",
            ])
            .arg(index),
        0,
    );
    let facets = json(&output);
    let location = &facets["facets"]["location"];
    assert_eq!(location["node"], "/Africa");
    let children = location["children"].as_array().unwrap();
    assert!(!children.is_empty());
    for child in children {
        let value = child["value"].as_str().unwrap();
        assert!(
            value.starts_with("/Africa/") && value.matches('/').count() == 2,
            "{value}"
        );
    }
    assert!(facets["facets"].get("organization").is_none());
    // The same articles as a search with that filter.
    let search = json(&run(
        dateline()
            .args(["search", "--location", "/Africa", "--json", "--index"])
            .arg(index),
        0,
    ));
    assert_eq!(facets["total_articles"], search["total_articles"]);
}

#[test]
fn related_lists_other_articles_and_refuses_before_without_a_date() {
    let index = sample_index();
    let id = "sample-corpus/text/kenya-drought-aid.txt";
    let output = run(
        dateline()
            .args(["related", id, "--json", "--index"])
            .arg(index),
        0,
    );
    let results = json(&output);
    let hits = results["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["id"] != id));
    // This article has no date, so there is nothing to be older than.
    let output = run(
        dateline()
            .args(["related", id, "--before", "--index"])
            .arg(index),
        2,
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("no publication date"));
    run(
        dateline()
            .args(["related", "no/such/id", "--index"])
            .arg(index),
        1,
    );
}
