"""The closing part of every benchmark report: each target with its verdict, then the count."""


def print_verdicts(targets, rss_mib, rss_what, unit=" x"):
    """targets: (name, value, limit) with `value <= limit` meaning met; rss_mib: the worst peak
    RSS of Crate's runs, held to 150 MiB; rss_what: which run that was."""
    rows = [(name, value, limit, unit) for name, value, limit in targets]
    rows.append((f"peak RSS of every Crate run <= 150 MiB ({rss_what})", rss_mib, 150.0, " MiB"))
    print()
    print("targets:")
    met = 0
    for name, value, limit, shown in rows:
        if value != value:  # NaN: that run was left out (e.g. BENCH_SKIP_S3=1)
            print(f"  -      {name}: not measured")
            continue
        ok = value <= limit
        met += ok
        print(f"  {'met   ' if ok else 'MISSED'} {name}: {value:.2f}{shown}")
    print(f"{met} of {len(rows)} targets met")
