# Problem 3: domain adaptation in the configured scenarios (2023: MNIST-M -> SVHN / USPS; 2021: MNIST-M ->
# USPS, SVHN -> MNIST-M, USPS -> SVHN), the configured methods (source-only, DANN, DSN, target-only),
# several seeds.


wildcard_constraints:
    setting="|".join(UDA_METHODS),
    seed="[0-9]+",


rule train_dann:
    """One training run; the data rules of the assignment are enforced by the script: source-only
    reads source labels, DANN and DSN source labels + target images, target-only target labels; no
    run trains on a test split."""
    input:
        unpack(dann_inputs),
    output:
        model=results(paths.uda_run("{scenario}", "{setting}", "{seed}", "model.pt")),
        metrics=results(paths.uda_run("{scenario}", "{setting}", "{seed}", "metrics.json")),
    log:
        "results/logs/train_dann/{scenario}_{setting}_seed{seed}.log",
    benchmark:
        "results/benchmarks/train_dann/{scenario}_{setting}_seed{seed}.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=4000,
        runtime=60,
    params:
        py=PY,
        script=script("train_dann"),
        settings=settings(UDA_SECTION),
        device=config["device"],
        test=lambda wc, input: f"--target-test {input.target_test}" if "target_test" in input.keys() else "",
    shell:
        "{params.py} {params.script} --setting {wildcards.setting} --source {input.source}"
        " --target-train {input.target_train} --target-val {input.target_val} {params.test}"
        " --model {output.model} --metrics {output.metrics} --settings {params.settings:q} --seed {wildcards.seed}"
        " --device {params.device} > {log} 2>&1"


rule dann_table:
    """The report's table: a row per method, a column per scenario (mean +- sd over seeds), in the configured
    scenarios; dann_table_year that of a year whose problem 3 has its own scenario set (with its bonus's method)."""
    input:
        lambda wc: [path for _, _, path in uda_runs(wc)],
    output:
        csv=report(results(paths.uda_table()), category="Problem 3: DANN", caption="../../report/dann_table.rst"),
        md=results(paths.uda_table(ext="md")),
    log:
        "results/logs/dann_table.log",
    benchmark:
        "results/benchmarks/dann_table.tsv"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        py=PY,
        script=script("dann_table"),
        runs=lambda wc: " ".join(f"--run {s} {m} {path}" for s, m, path in uda_runs(wc)),
    shell:
        "{params.py} {params.script} {params.runs} --out {output.csv} --md {output.md} > {log} 2>&1"


use rule dann_table as dann_table_year with:
    output:
        csv=report(
            results(paths.uda_table("{year}")), category="Problem 3: DANN", caption="../../report/dann_table.rst"
        ),
        md=results(paths.uda_table("{year}", "md")),
    log:
        "results/logs/dann_table_{year}.log",
    benchmark:
        "results/benchmarks/dann_table_{year}.tsv"
    wildcard_constraints:
        year=OWN_SCENARIO_YEARS,


rule tsne:
    """t-SNE of an adapting method's features (DANN's; DSN's shared code), first seed, on validation images
    of both domains; the figure stem names the method (UDA_METHODS' tsne)."""
    input:
        unpack(tsne_inputs),
    output:
        digit=report(
            results(paths.tsne("{scenario}", "{stem}", "digit")),
            category="Problem 3: DANN",
            caption="../../report/dann_tsne_digit.rst",
        ),
        domain=report(
            results(paths.tsne("{scenario}", "{stem}", "domain")),
            category="Problem 3: DANN",
            caption="../../report/dann_tsne_domain.rst",
        ),
        both=report(
            results(paths.tsne("{scenario}", "{stem}")),
            category="Problem 3: DANN",
            caption="../../report/dann_tsne.rst",
        ),
    log:
        "results/logs/{stem}/{scenario}.log",
    benchmark:
        "results/benchmarks/{stem}/{scenario}.tsv"
    wildcard_constraints:
        stem="|".join(TSNE_METHODS),
    threads: JOB_THREADS
    resources:
        mem_mb=3000,
        runtime=10,
    params:
        py=PY,
        script=script("tsne"),
        source_name=lambda wc: scenarios.DOMAIN_TITLES[scenarios.pair(wc.scenario)[0]],
        target_name=lambda wc: scenarios.DOMAIN_TITLES[scenarios.pair(wc.scenario)[1]],
        method=lambda wc: UDA_METHODS[TSNE_METHODS[wc.stem]].short,
        settings=settings("tsne"),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --model {input.model} --source {input.source} --target {input.target}"
        " --source-name {params.source_name} --target-name {params.target_name} --method {params.method}"
        " --settings {params.settings:q} --seed {params.seed}"
        " --out-digit {output.digit} --out-domain {output.domain} --out-both {output.both}"
        " --device {params.device} > {log} 2>&1"


rule export_dann_checkpoint:
    """The model a grading script uses for a scenario: the DANN (hw2_3.sh, hw2_p3.sh) or DSN
    (hw2_bonus.sh) run of the first seed."""
    input:
        results(paths.uda_run("{scenario}", "{method}", FIRST_SEED, "model.pt")),
    output:
        course.checkpoint("{method}_{scenario}"),
    log:
        "results/logs/export_dann_checkpoint/{method}_{scenario}.log",
    benchmark:
        "results/benchmarks/export_dann_checkpoint/{method}_{scenario}.tsv"
    wildcard_constraints:
        method="|".join(m for m in UDA_METHODS if UDA_METHODS[m].adapts),
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("export_checkpoint"),
    shell:
        "{params.py} {params.script} dann --model {input} --out {output} > {log} 2>&1"
