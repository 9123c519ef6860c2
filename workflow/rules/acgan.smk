# 2021 problem 2 beside the 2023 DDPM: an ACGAN on the same MNIST-M digits, judged by the same
# classifiers and generative metrics (evaluation.smk), and the two generators side by side.


rule train_acgan:
    """ACGAN with an EMA generator; resumes from results/acgan_state after a crash."""
    input:
        results(paths.cache("mnistm", "train")),
    output:
        model=results(paths.generator(DIGIT_GAN, "model.pt")),
        loss=results(paths.generator(DIGIT_GAN, "loss.csv")),
        run_info=results(paths.generator(DIGIT_GAN, "training.json")),
    log:
        "results/logs/train_acgan.log",
    benchmark:
        "results/benchmarks/train_acgan.tsv"
    priority: PRIORITY_LONG
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=60,
    params:
        py=PY,
        script=script("train_acgan"),
        settings=settings(DIGIT_GAN),
        # one resume state per set of settings, as for the DDPM
        state=results(paths.state(DIGIT_GAN, settings_key(PRESET[DIGIT_GAN], config["seed"]))),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --cache {input} --model {output.model} --state {params.state}"
        " --loss-csv {output.loss} --run-info {output.run_info} --settings {params.settings:q} --seed {params.seed}"
        " --device {params.device} > {log} 2>&1"


rule export_acgan_checkpoint:
    """The generator past_years/2021/hw2_p2.sh uses."""
    input:
        rules.train_acgan.output.model,
    output:
        course.checkpoint(DIGIT_GAN),
    log:
        "results/logs/export_acgan_checkpoint.log",
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("export_checkpoint"),
        generator=DIGIT_GAN,
    shell:
        "{params.py} {params.script} {params.generator} --model {input} --out {output} > {log} 2>&1"


rule sample_acgan:
    """The 2021 problem 2 output: 0_001.png .. 9_100.png, exactly as past_years/2021/hw2_p2.sh writes them."""
    input:
        rules.export_acgan_checkpoint.output,
    output:
        samples=directory(results(paths.generator(DIGIT_GAN, "samples"))),
        timing=results(paths.generator(DIGIT_GAN, "sampling_time.json")),
    log:
        "results/logs/sample_acgan.log",
    benchmark:
        "results/benchmarks/sample_acgan.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        py=PY,
        script=script("sample_acgan"),
        device=config["device"],
    shell:
        "{params.py} {params.script} --model {input} --out {output.samples} --timing {output.timing}"
        " --device {params.device} > {log} 2>&1"


rule compare_generators:
    """DDPM and ACGAN side by side: accuracy by each judge (per digit too), FID / KID / IS, training and
    sampling time, parameters; the ACGAN grid and both training curves."""
    input:
        unpack(compare_generators_inputs),
    output:
        csv=report(
            results(paths.generators("comparison.csv")),
            category=f"Beyond {course.DEFAULT}: a conditional GAN",
            caption="../../report/generators_comparison.rst",
        ),
        times=results(paths.generators("times.csv")),
        md=results(paths.generators("comparison.md")),
        curves=report(
            results(paths.generators("training_curves.png")),
            category=f"Beyond {course.DEFAULT}: a conditional GAN",
            caption="../../report/generators_curves.rst",
        ),
        grids=report(
            results(paths.generators("grids.png")),
            category=f"Beyond {course.DEFAULT}: a conditional GAN",
            caption="../../report/generators_grids.rst",
        ),
        grid=report(
            results(paths.generator(DIGIT_GAN, "figures/grid.png")),
            category=f"Beyond {course.DEFAULT}: a conditional GAN",
            caption="../../report/acgan_grid.rst",
        ),
    log:
        "results/logs/compare_generators.log",
    benchmark:
        "results/benchmarks/compare_generators.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("compare_generators"),
        generators=generator_options(DIGIT_GENERATORS),
        judges=" ".join(JUDGES),
    shell:
        "{params.py} {params.script} {params.generators}"
        " --real {input.real} --judges {params.judges} --out {output.csv} --times {output.times} --md {output.md} --curves {output.curves}"
        " --grids {output.grids} --grid {output.grid} > {log} 2>&1"


rule acgan_summary:
    """Assignment 2021's problem 2 alone (no DDPM beside it): the ACGAN's table, curves and 10x10 grid."""
    input:
        unpack(lambda wc: generator_files(DIGIT_GAN)),
        real=rules.digit_metrics_real.output,
    output:
        csv=results(paths.generator(DIGIT_GAN, "summary/comparison.csv")),
        times=results(paths.generator(DIGIT_GAN, "summary/times.csv")),
        md=results(paths.generator(DIGIT_GAN, "summary/comparison.md")),
        curves=results(paths.generator(DIGIT_GAN, "summary/training_curves.png")),
        grids=results(paths.generator(DIGIT_GAN, "summary/grids.png")),
        grid=results(paths.generator(DIGIT_GAN, "summary/grid.png")),
    log:
        "results/logs/acgan_summary.log",
    benchmark:
        "results/benchmarks/acgan_summary.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("compare_generators"),
        generators=generator_options([DIGIT_GAN]),
        judges=" ".join(JUDGES),
    shell:
        "{params.py} {params.script} {params.generators} --real {input.real}"
        " --judges {params.judges} --out {output.csv}"
        " --times {output.times} --md {output.md} --curves {output.curves} --grids {output.grids}"
        " --grid {output.grid} > {log} 2>&1"
