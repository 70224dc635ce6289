//! ATT&CK and ATLAS catalog speed: the built-in catalog (compiled in: nothing to do but build
//! its search index on the first search), the same four domains read from catalog files and
//! indexed as a user's imported catalog is (target under 20 ms), and searching (target under
//! 1 ms per query over the whole catalog).
#![allow(missing_docs, reason = "criterion generates the entry point")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use medflow_core::attack::{Catalog, Domain, Query, embedded_domains};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn benchmarks(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("attack catalog");
    group.bench_function("built-in (compiled)", |bencher| {
        bencher.iter(Catalog::built_in);
    });
    group.bench_function("built-in, first search (search index built)", |bencher| {
        bencher.iter(|| {
            Catalog::built_in()
                .search(&Query {
                    text: "valid accounts",
                    limit: 20,
                    ..Query::default()
                })
                .len()
        });
    });
    group.bench_function(
        "catalog files (parse + index, as a user catalog)",
        |bencher| {
            bencher.iter(|| Catalog::from_domains(embedded_domains().unwrap_or_default()));
        },
    );
    group.finish();

    let catalog = Catalog::built_in();
    let mut group = criterion.benchmark_group("attack search");
    let queries: [(&str, Option<Domain>, Option<&str>); 10] = [
        ("T1078", None, None),
        ("poison training data", None, None),
        ("defense impairment", None, None),
        ("t1", None, None),
        ("valid accounts", None, None),
        ("phising", None, None),
        ("credentails from pasword stores", None, None),
        ("exploitation of remote services", None, None),
        ("loss", Some(Domain::Ics), None),
        ("", None, Some("TA0001")),
    ];
    for (text, domain, tactic) in queries {
        let label = format!(
            "{text:?}{}{}",
            domain.map_or(String::new(), |domain| format!(
                " --domain {}",
                domain.as_str()
            )),
            tactic.map_or(String::new(), |tactic| format!(" --tactic {tactic}"))
        );
        group.bench_function(label, |bencher| {
            bencher.iter(|| {
                catalog
                    .search(black_box(&Query {
                        text,
                        domain,
                        tactic,
                        limit: 20,
                        ..Query::default()
                    }))
                    .len()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
