# Handing it in: the report under the course's name, the year's hand-in repository, and that repository
# graded from a clone as the TAs will grade it.


if STUDENT_ID:

    rule hand_in_report:
        """The configured year's homework report as hw2_<student_id>.pdf at the repository root (the
        working directory), the name the course grades."""
        input:
            lambda wc: year_report(ASSIGNMENT)[1],
        output:
            course.hand_in_report(STUDENT_ID),
        log:
            "results/logs/hand_in_report.log",
        benchmark:
            "results/benchmarks/hand_in_report.tsv"
        resources:
            mem_mb=200,
            runtime=5,
        shell:
            "cp {input} {output} > {log} 2>&1"


rule handin:
    """The configured year's hand-in: a git repository with one commit on main, ready to push to the
    course's classroom remote. Its grading scripts and hw2_download.sh at its root under the year's names,
    the package, workflow, envs/ and config.yaml, the checkpoints (committed under 50 MB, else as lines of
    checkpoints/manifest.tsv), hw2_<student_id>.pdf and a README for the grader; no data, no results. The
    same inputs give the same commit."""
    input:
        handin_inputs,
    output:
        directory(results(paths.handin(ASSIGNMENT))),
    log:
        "results/logs/handin.log",
    benchmark:
        "results/benchmarks/handin.tsv"
    resources:
        mem_mb=500,
        runtime=10,
    params:
        py=PY,
        script=script("make_handin"),
        year=ASSIGNMENT,
        repo=workflow.basedir,
        student_id=STUDENT_ID,
    shell:
        "{params.py} {params.script} --year {params.year} --repo {params.repo} --workdir ."
        " --student-id '{params.student_id}' --out {output} > {log} 2>&1"


rule submission:
    """What the TAs will do with the configured year's hand-in: clone its main branch, run
    hw2_download.sh (every manifest URL fetched, sha256-verified) and every grading script from the
    clone's root with the course's Python (course_python) when it is there, else this one under the
    course's import guard, timed against the course's limits; nothing needed left uncommitted, tracked
    files under 50 MB, no dataset, the report tracked with its pages and references."""
    input:
        handin=rules.handin.output[0],
        domains=[domain_dir(d) for d in config["domains"]],
    output:
        results(paths.submission("check.md")),
    log:
        "results/logs/submission.log",
    benchmark:
        "results/benchmarks/submission.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=4000,
        runtime=120,
    params:
        py=PY,
        script=script("check_submission"),
        year=ASSIGNMENT,
        data_root=lambda wc: DATA_ROOT,
        student_id=STUDENT_ID,
        python=COURSE_PYTHON,
    shell:
        "{params.py} {params.script} --year {params.year} --repo {input.handin} --data-root {params.data_root}"
        " --student-id '{params.student_id}' --python '{params.python}' --out {output} > {log} 2>&1"
