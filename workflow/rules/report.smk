# The homework report: `snakemake report` builds report/hw2_report.html and report/hw2_report.pdf
# from the results of this run (every figure and number read from the files of report_inputs, common.smk).


rule report:
    """The homework report (HTML and PDF), answering the assignment's report questions in order."""
    input:
        report_inputs,
    output:
        html="report/hw2_report.html",
        pdf="report/hw2_report.pdf",
    log:
        "results/logs/report.log",
    benchmark:
        "results/benchmarks/report.tsv"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        py=PY,
        script=script("build_report"),
        preset=json.dumps(dict(PRESET, _name=config["preset"]), sort_keys=True),
        scenarios=" ".join(DANN_SCENARIOS),
        faces=int(HAVE_FACES),
    shell:
        "{params.py} {params.script} --results results --preset-json {params.preset:q} --scenarios {params.scenarios}"
        " --have-faces {params.faces} --html {output.html} --pdf {output.pdf} > {log} 2>&1"
