# Problem 1: class-conditional DDPM on MNIST-M, judged by the official classifier and by the
# workflow's own evaluation classifier (evaluation.smk; one name for it everywhere: eval_classifier).


rule train_ddpm:
    """DDPM Algorithm 1 with label dropout and EMA; resumes from results/ddpm_state after a crash."""
    input:
        results(paths.cache("mnistm", "train")),
    output:
        model=results(paths.generator(DDPM, "model.pt")),
        loss=results(paths.generator(DDPM, "loss.csv")),
        run_info=results(paths.generator(DDPM, "training.json")),
    log:
        "results/logs/train_ddpm.log",
    benchmark:
        "results/benchmarks/train_ddpm.tsv"
    priority: PRIORITY_LONGEST
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=6000,
        runtime=120,
    params:
        py=PY,
        script=script("train_ddpm"),
        settings=settings(DDPM),
        # one resume state per set of training settings (epochs included: the learning-rate schedule
        # spans them): a changed config starts afresh instead of meeting the state of other settings
        # (which train_ddpm.py refuses to resume), so the model never depends on earlier configs
        state=results(paths.state(DDPM, settings_key(PRESET[DDPM], config["seed"]))),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --cache {input} --model {output.model} --state {params.state}"
        " --loss-csv {output.loss} --run-info {output.run_info} --settings {params.settings:q} --seed {params.seed}"
        " --device {params.device} > {log} 2>&1"


rule export_ddpm_checkpoint:
    """The model hw2_1.sh uses, with the sampling settings of the config."""
    input:
        rules.train_ddpm.output.model,
    output:
        course.checkpoint(DDPM),
    log:
        "results/logs/export_ddpm_checkpoint.log",
    benchmark:
        "results/benchmarks/export_ddpm_checkpoint.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("export_checkpoint"),
        generator=DDPM,
        settings=settings("ddpm_sampling"),
    shell:
        "{params.py} {params.script} {params.generator} --model {input} --out {output} --settings {params.settings:q} > {log} 2>&1"


rule sample_ddpm:
    """The graded output: 0_001.png .. 9_100.png, exactly as hw2_1.sh writes them."""
    input:
        rules.export_ddpm_checkpoint.output,
    output:
        samples=directory(results(paths.generator(DDPM, "samples"))),
        timing=results(paths.generator(DDPM, "sampling_time.json")),
    log:
        "results/logs/sample_ddpm.log",
    benchmark:
        "results/benchmarks/sample_ddpm.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=30,
    params:
        py=PY,
        script=script("sample_ddpm"),
        device=config["device"],
    shell:
        "{params.py} {params.script} --model {input} --out {output.samples} --timing {output.timing}"
        " --device {params.device} > {log} 2>&1"


rule ddpm_metrics:
    """Problem 1 accuracy table (per digit and overall)."""
    input:
        unpack(ddpm_metrics_inputs),
    output:
        csv=report(
            results(paths.generator(DDPM, "accuracy.csv")),
            category="Problem 1: DDPM",
            caption="../../report/ddpm_accuracy.rst",
        ),
        md=results(paths.generator(DDPM, "accuracy.md")),
    log:
        "results/logs/ddpm_metrics.log",
    benchmark:
        "results/benchmarks/ddpm_metrics.tsv"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        py=PY,
        script=script("ddpm_metrics"),
        official=lambda wc, input: (f"--official-classifier-acc {input.official}" if "official" in input.keys() else ""),
    shell:
        "{params.py} {params.script} --eval-classifier-acc {input.eval_classifier} {params.official}"
        " --eval-classifier-metrics {input.eval_classifier_metrics} --out {output.csv} --md {output.md} > {log} 2>&1"


rule ddpm_sweep:
    """Accuracy, precision and recall against guidance weight and against sampling steps (and sampling
    time)."""
    input:
        unpack(ddpm_sweep_inputs),
    output:
        report(
            results(paths.generator(DDPM, "sweep.csv")),
            category="Problem 1: DDPM",
            caption="../../report/ddpm_sweep.rst",
        ),
    log:
        "results/logs/ddpm_sweep.log",
    benchmark:
        "results/benchmarks/ddpm_sweep.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=60,
    params:
        py=PY,
        script=script("ddpm_sweep"),
        official=lambda wc, input: f"--official-classifier {input.official}" if "official" in input.keys() else "",
        settings=settings("ddpm_sampling"),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --model {input.model} --eval-classifier {input.eval_classifier} {params.official}"
        " --reference {input.reference} --out {output} --settings {params.settings:q} --seed {params.seed} --device {params.device} > {log} 2>&1"


rule ddpm_figures:
    """Problem 1 report figures, the UNet block diagram among them."""
    input:
        model=rules.train_ddpm.output.model,
        samples=rules.sample_ddpm.output.samples,
        loss=rules.train_ddpm.output.loss,
        sweep=rules.ddpm_sweep.output[0],
    output:
        **{
            name: report(
                results(paths.generator(DDPM, f"figures/{name}.png")),
                category="Problem 1: DDPM",
                caption=f"../../report/ddpm_{name}.rst",
            )
            for name in paths.DDPM_FIGURES
        },
        unet_diagram=results(paths.generator(DDPM, "figures/unet_diagram.png")),
    log:
        "results/logs/ddpm_figures.log",
    benchmark:
        "results/benchmarks/ddpm_figures.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        py=PY,
        script=script("ddpm_figures"),
        out_dir=lambda wc, output: os.path.dirname(output.grid),
        settings=settings("ddpm_sampling"),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --model {input.model} --samples {input.samples} --loss-csv {input.loss}"
        " --sweep {input.sweep} --out-dir {params.out_dir} --settings {params.settings:q} --seed {params.seed}"
        " --device {params.device} > {log} 2>&1"
