# The homework reports: `snakemake report` builds 2023's, report/hw2_report.html and report/hw2_report.pdf;
# year_report 2022's and 2021's, report/hw2_report_<year>.{html,pdf} (`all` builds the configured
# assignment's); face_gan_report the face GANs' report/face_gans.{html,pdf}. Every figure and number is
# read from the files of the input functions (common.smk); dlcv_hw2/report/ writes them.


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
        results=lambda wc: paths.RESULTS,  # the folder all of its inputs lie in
        preset=json.dumps(dict(PRESET, _name=config["preset"], _official_classifier=CLASSIFIER), sort_keys=True),
        scenarios=" ".join(DANN_SCENARIOS),
        faces=int(HAVE_FACES),
        jobs=lambda wc, input: " ".join(upstream_jobs(input)),
    shell:
        "{params.py} {params.script} --results {params.results} --preset-json {params.preset:q} --scenarios {params.scenarios}"
        " --have-faces {params.faces} --runtime-jobs {params.jobs} --html {output.html} --pdf {output.pdf} > {log} 2>&1"


rule year_report:
    """The homework report of an earlier year (HTML and PDF), answering that year's report questions in order."""
    input:
        year_report_inputs,
    output:
        html="report/hw2_report_{year}.html",
        pdf="report/hw2_report_{year}.pdf",
    log:
        "results/logs/report_{year}.log",
    benchmark:
        "results/benchmarks/report_{year}.tsv"
    wildcard_constraints:
        year=PAST_YEARS,
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        py=PY,
        script=script("build_report"),
        results=lambda wc: paths.RESULTS,  # the folder all of its inputs lie in
        preset=json.dumps(dict(PRESET, _name=config["preset"], _official_classifier=CLASSIFIER), sort_keys=True),
        scenarios=lambda wc: " ".join(uda_plan(wc.year)[0]),
        graded=config["face_gan_graded"],
        jobs=lambda wc, input: " ".join(upstream_jobs(input)),
    shell:
        "{params.py} {params.script} --document {wildcards.year} --results {params.results} --preset-json {params.preset:q}"
        " --scenarios {params.scenarios} --face-gan-graded {params.graded} --runtime-jobs {params.jobs}"
        " --html {output.html} --pdf {output.pdf} > {log} 2>&1"


rule face_gan_report:
    """The report of the face GANs (HTML and PDF): the section "Beyond 2023: GANs on faces", the face jobs'
    runtime and the environment, every number read from the results."""
    input:
        rules.compare_face_gans.output,
        lambda wc: document_reads(FACE_GAN_DOCUMENT),
    output:
        html="report/face_gans.html",
        pdf="report/face_gans.pdf",
    log:
        "results/logs/face_gan_report.log",
    benchmark:
        "results/benchmarks/face_gan_report.tsv"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        py=PY,
        script=script("build_report"),
        results=lambda wc: paths.RESULTS,  # the folder all of its inputs lie in
        preset=json.dumps(dict(PRESET, _name=config["preset"]), sort_keys=True),
        document=FACE_GAN_DOCUMENT,
        jobs=lambda wc, input: " ".join(upstream_jobs(input)),
    shell:
        "{params.py} {params.script} --document {params.document} --results {params.results} --preset-json {params.preset:q}"
        " --runtime-jobs {params.jobs} --html {output.html} --pdf {output.pdf} > {log} 2>&1"
