# Handing it in: the report under the course's name, and a check of the hand-in as the TAs will run it.


if STUDENT_ID:

    rule hand_in_report:
        """The configured year's homework report as hw2_<student_id>.pdf at the repository root (the
        working directory), the name the course grades."""
        input:
            lambda wc: year_report(ASSIGNMENT)[1],
        output:
            f"hw2_{STUDENT_ID}.pdf",
        log:
            "results/logs/hand_in_report.log",
        benchmark:
            "results/benchmarks/hand_in_report.tsv"
        resources:
            mem_mb=200,
            runtime=5,
        shell:
            "cp {input} {output} > {log} 2>&1"


rule submission:
    """What the TAs will do with the configured year's hand-in: every grading script under the course's
    import guard on the trained checkpoints (timed against the course's limits), tracked files under
    50 MB, the checkpoints tracked or in the manifest with their sha256, hw2_<student_id>.pdf, no
    dataset folder tracked."""
    input:
        submission_inputs,
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
        data_root=DATA_ROOT,
        student_id=STUDENT_ID,
    shell:
        "{params.py} {params.script} --year {params.year} --repo . --data-root {params.data_root}"
        " --student-id '{params.student_id}' --out {output} > {log} 2>&1"
