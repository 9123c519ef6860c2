# Problem 1: class-conditional DDPM on MNIST-M.

DDPM = PRESET["ddpm"]
SAMPLING = PRESET["ddpm_sampling"]
EVALC = PRESET["eval_classifier"]


rule train_ddpm:
    """DDPM Algorithm 1 with label dropout and EMA; resumes from results/ddpm_state after a crash."""
    input:
        "results/cache/mnistm/train.pt",
    output:
        model="results/ddpm/model.pt",
        loss="results/ddpm/loss.csv",
    params:
        py=PY,
        script=script("train_ddpm"),
        # one resume state per set of training settings (epochs included: the learning-rate schedule
        # spans them): a changed config starts afresh instead of meeting the state of other settings
        # (which train_ddpm.py refuses to resume), so the model never depends on earlier configs
        state=f"results/ddpm_state/{settings_key(DDPM, config['seed'])}/state.pt",
        args=lambda wc: cli_args(DDPM, list_keys=("channel_mults",)),
        seed=config["seed"],
        device=config["device"],
    log:
        "results/logs/train_ddpm.log",
    benchmark:
        "results/benchmarks/train_ddpm.tsv"
    threads: 2
    resources:
        gpu=1,
        mem_mb=6000,
        runtime=120,
    conda:
        ENV
    shell:
        "{params.py} {params.script} --cache {input} --model {output.model} --state {params.state}"
        " --loss-csv {output.loss} {params.args} --seed {params.seed} --device {params.device} > {log} 2>&1"


rule export_ddpm_checkpoint:
    """The model hw2_1.sh uses, with the sampling settings of the config."""
    input:
        "results/ddpm/model.pt",
    output:
        "checkpoints/ddpm.pt",
    params:
        py=PY,
        script=script("export_checkpoint"),
        sampling=f"--sampler {SAMPLING['sampler']} --steps {SAMPLING['steps']} --guidance {SAMPLING['guidance']}",
    log:
        "results/logs/export_ddpm_checkpoint.log",
    benchmark:
        "results/benchmarks/export_ddpm_checkpoint.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    shell:
        "{params.py} {params.script} ddpm --model {input} --out {output} {params.sampling} > {log} 2>&1"


rule sample_ddpm:
    """The graded output: 0_001.png .. 9_100.png, exactly as hw2_1.sh writes them."""
    input:
        "checkpoints/ddpm.pt",
    output:
        samples=directory("results/ddpm/samples"),
        timing="results/ddpm/sampling_time.json",
    params:
        py=PY,
        script=script("sample_ddpm"),
        device=config["device"],
    log:
        "results/logs/sample_ddpm.log",
    benchmark:
        "results/benchmarks/sample_ddpm.tsv"
    threads: 2
    resources:
        gpu=1,
        mem_mb=3000,
        runtime=30,
    conda:
        ENV
    shell:
        "{params.py} {params.script} --model {input} --out {output.samples} --timing {output.timing}"
        " --device {params.device} > {log} 2>&1"


rule train_eval_classifier:
    """The pipeline's own MNIST-M classifier that scores the samples (trained on MNIST-M train)."""
    input:
        train="results/cache/mnistm/train.pt",
        val="results/cache/mnistm/val.pt",
    output:
        model="results/eval_classifier/model.pt",
        metrics="results/eval_classifier/metrics.json",
    params:
        py=PY,
        script=script("train_dann"),
        args=lambda wc: cli_args(EVALC),
        seed=config["seed"],
        device=config["device"],
    log:
        "results/logs/train_eval_classifier.log",
    benchmark:
        "results/benchmarks/train_eval_classifier.tsv"
    threads: 2
    resources:
        gpu=1,
        mem_mb=3000,
        runtime=30,
    conda:
        ENV
    shell:
        "{params.py} {params.script} --setting target_only --target-train {input.train} --target-val {input.val}"
        " --model {output.model} --metrics {output.metrics} {params.args} --seed {params.seed}"
        " --device {params.device} > {log} 2>&1"


rule evaluate_ddpm:
    """Accuracy of the 1000 samples by one classifier (official: Classifier.pth; eval: our own)."""
    input:
        samples="results/ddpm/samples",
        classifier=lambda wc: CLASSIFIER if wc.judge == "official" else "results/eval_classifier/model.pt",
    output:
        "results/ddpm/accuracy_{judge}.csv",
    params:
        py=PY,
        script=script("evaluate_digits"),
        kind=lambda wc: "official" if wc.judge == "official" else "project",
        device=config["device"],
    wildcard_constraints:
        judge="official|eval",
    log:
        "results/logs/evaluate_ddpm/{judge}.log",
    benchmark:
        "results/benchmarks/evaluate_ddpm/{judge}.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    shell:
        "{params.py} {params.script} --folder {input.samples} --classifier {input.classifier} --kind {params.kind}"
        " --device {params.device} --out {output} > {log} 2>&1"


rule ddpm_metrics:
    """Problem 1 accuracy table (per digit and overall)."""
    input:
        unpack(ddpm_metrics_inputs),
    output:
        csv=report("results/ddpm/accuracy.csv", category="Problem 1: DDPM", caption="../../report/ddpm_accuracy.rst"),
        md="results/ddpm/accuracy.md",
    params:
        py=PY,
        script=script("ddpm_metrics"),
        official=lambda wc, input: f"--official-acc {input.official}" if "official" in input.keys() else "",
    log:
        "results/logs/ddpm_metrics.log",
    benchmark:
        "results/benchmarks/ddpm_metrics.tsv"
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        ENV
    shell:
        "{params.py} {params.script} --eval-acc {input.eval} {params.official}"
        " --eval-classifier-metrics {input.evalc} --out {output.csv} > {log} 2>&1"


rule ddpm_sweep:
    """Accuracy against guidance weight and against sampling steps (and sampling time)."""
    input:
        unpack(ddpm_sweep_inputs),
    output:
        report("results/ddpm/sweep.csv", category="Problem 1: DDPM", caption="../../report/ddpm_sweep.rst"),
    params:
        py=PY,
        script=script("ddpm_sweep"),
        official=lambda wc, input: f"--official {input.official}" if "official" in input.keys() else "",
        args=(
            f"--per-digit {SAMPLING['sweep_per_digit']} --guidance {' '.join(map(str, SAMPLING['guidance_sweep']))}"
            f" --base-steps {SAMPLING['steps']} --steps {' '.join(map(str, SAMPLING['steps_sweep']))}"
            f" --steps-guidance {SAMPLING['guidance']}" + (" --full-ddpm" if SAMPLING["sweep_full_ddpm"] else "")
        ),
        device=config["device"],
    log:
        "results/logs/ddpm_sweep.log",
    benchmark:
        "results/benchmarks/ddpm_sweep.tsv"
    threads: 2
    resources:
        gpu=1,
        mem_mb=3000,
        runtime=60,
    conda:
        ENV
    shell:
        "{params.py} {params.script} --model {input.model} --eval-classifier {input.evalc} {params.official}"
        " --out {output} {params.args} --device {params.device} > {log} 2>&1"


rule ddpm_figures:
    """Problem 1 report figures."""
    input:
        model="results/ddpm/model.pt",
        samples="results/ddpm/samples",
        loss="results/ddpm/loss.csv",
        sweep="results/ddpm/sweep.csv",
    output:
        **{
            name: report(f"results/ddpm/figures/{name}.png", category="Problem 1: DDPM",
                         caption=f"../../report/ddpm_{name}.rst")
            for name in ("grid", "reverse_process", "loss", "accuracy_vs_guidance", "accuracy_vs_steps", "time_vs_steps")
        },
    params:
        py=PY,
        script=script("ddpm_figures"),
        out_dir=lambda wc, output: os.path.dirname(output.grid),
        sampling=f"--sampler {SAMPLING['sampler']} --steps {SAMPLING['steps']} --guidance {SAMPLING['guidance']}",
        device=config["device"],
    log:
        "results/logs/ddpm_figures.log",
    benchmark:
        "results/benchmarks/ddpm_figures.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    shell:
        "{params.py} {params.script} --model {input.model} --samples {input.samples} --loss-csv {input.loss}"
        " --sweep {input.sweep} --out-dir {params.out_dir} {params.sampling}"
        " --device {params.device} > {log} 2>&1"
