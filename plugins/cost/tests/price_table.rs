//! The compiled price table must say exactly what the committed TSV says, so
//! a hand edit of either (or a forgotten `normalise.py` run) fails here.

use std::path::Path;

use cost::prices::{GROUPS, PRICES_AS_OF, SOURCES};

fn tsv() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pricing/prices.tsv");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn compiled_rows_match_the_tsv_row_for_row() {
    let text = tsv();
    let mut rows = text.lines().filter(|l| !l.starts_with('#')).skip(1);
    let mut count = 0;
    for group in GROUPS {
        for (key, usd) in group.rates {
            let line = rows
                .next()
                .unwrap_or_else(|| panic!("the TSV ends before {}/{}", group.region, key));
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 7, "malformed row: {line}");
            let expected = (cols[0], cols[1], cols[2], cols[3], cols[4]);
            assert_eq!(
                (
                    group.provider,
                    group.region,
                    group.service,
                    *key,
                    group.unit
                ),
                expected,
                "row {count}"
            );
            let tsv_usd: f64 = cols[5].parse().expect("a price");
            assert_eq!(*usd, tsv_usd, "price of {line}");
            count += 1;
        }
    }
    assert!(
        rows.next().is_none(),
        "the TSV has rows the compiled table lacks"
    );
    assert!(count > 1000, "only {count} prices");
}

#[test]
fn sources_and_dates_match_the_tsv_header() {
    let text = tsv();
    let header: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("# source\t") && !l.starts_with("# source\tid\t"))
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(header.len(), SOURCES.len());
    for (cols, source) in header.iter().zip(SOURCES) {
        assert_eq!(
            (cols[1], cols[2], cols[3], cols[4]),
            (source.id, source.upstream, source.commit, source.as_of)
        );
    }
    let newest = SOURCES
        .iter()
        .map(|s| s.as_of.rsplit("..").next().unwrap())
        .max()
        .unwrap();
    assert_eq!(PRICES_AS_OF, newest);
}
