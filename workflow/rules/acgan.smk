# 2021 problem 2 beside the 2023 DDPM: an ACGAN on the same MNIST-M digits, judged by the same
# classifiers and generative metrics (evaluation.smk), and the two generators side by side.


rule train_acgan:
    """ACGAN with an EMA generator; resumes from results/acgan_state after a crash."""
    input:
        "results/cache/mnistm/train.pt",
    output:
        model="results/acgan/model.pt",
        loss="results/acgan/loss.csv",
        run_info="results/acgan/training.json",
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
        settings=settings("acgan"),
        # one resume state per set of settings, as for the DDPM
        state=f"results/acgan_state/{settings_key(PRESET['acgan'], config['seed'])}/state.pt",
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
        "checkpoints/acgan.pt",
    log:
        "results/logs/export_acgan_checkpoint.log",
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("export_checkpoint"),
    shell:
        "{params.py} {params.script} acgan --model {input} --out {output} > {log} 2>&1"


rule sample_acgan:
    """The 2021 problem 2 output: 0_001.png .. 9_100.png, exactly as past_years/2021/hw2_p2.sh writes them."""
    input:
        rules.export_acgan_checkpoint.output,
    output:
        samples=directory("results/acgan/samples"),
        timing="results/acgan/sampling_time.json",
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
            "results/generators/comparison.csv",
            category=f"Beyond {course.DEFAULT}: a conditional GAN",
            caption="../../report/generators_comparison.rst",
        ),
        times="results/generators/times.csv",
        md="results/generators/comparison.md",
        curves=report(
            "results/generators/training_curves.png",
            category=f"Beyond {course.DEFAULT}: a conditional GAN",
            caption="../../report/generators_curves.rst",
        ),
        grids=report(
            "results/generators/grids.png",
            category=f"Beyond {course.DEFAULT}: a conditional GAN",
            caption="../../report/generators_grids.rst",
        ),
        grid=report(
            "results/acgan/figures/grid.png",
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
        judges=" ".join(JUDGES),
    shell:
        "{params.py} {params.script} --generator ddpm=results/ddpm --generator acgan=results/acgan"
        " --real {input.real} --judges {params.judges} --out {output.csv} --times {output.times} --md {output.md} --curves {output.curves}"
        " --grids {output.grids} --grid {output.grid} > {log} 2>&1"


rule acgan_summary:
    """Assignment 2021's problem 2 alone (no DDPM beside it): the ACGAN's table, curves and 10x10 grid."""
    input:
        loss="results/acgan/loss.csv",
        timing="results/acgan/sampling_time.json",
        metrics="results/acgan/generative_metrics.json",
        model="results/acgan/model.pt",
        samples="results/acgan/samples",
        accuracy=expand("results/acgan/accuracy_{judge}.csv", judge=JUDGES),
        real=rules.digit_metrics_real.output,
    output:
        csv="results/acgan/summary/comparison.csv",
        times="results/acgan/summary/times.csv",
        md="results/acgan/summary/comparison.md",
        curves="results/acgan/summary/training_curves.png",
        grids="results/acgan/summary/grids.png",
        grid="results/acgan/summary/grid.png",
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
        judges=" ".join(JUDGES),
    shell:
        "{params.py} {params.script} --generator acgan=results/acgan --real {input.real}"
        " --judges {params.judges} --out {output.csv}"
        " --times {output.times} --md {output.md} --curves {output.curves} --grids {output.grids}"
        " --grid {output.grid} > {log} 2>&1"
