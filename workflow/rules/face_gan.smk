# Face GANs of 2021/2022 problem 1 (every method of the registry FACE_GANS, dlcv_hw2/methods/face_gan.py):
# trained, sampled, scored like the real faces of face_data.smk, compared, and the graded one exported.
# `face_gans` (Snakefile) builds every method; the 2022 and 2021 `all` build the ones their problem 1
# asks for (year_face_gans in common.smk); the 2023 `all` none. Their report is in report.smk.


rule train_face_gan:
    """One face GAN (dcgan, wgan_gp or sagan) with an EMA generator; resumes after a crash. Its loss.csv
    carries the learning curve: the detection rate after each epoch, precision and recall every few."""
    input:
        train=results(paths.cache("face", "train")),
        val=results(paths.cache("face", "val")),
        val_embeddings=rules.face_embeddings.output,
    output:
        model=results(paths.face_gan("{method}", "model.pt")),
        loss=results(paths.face_gan("{method}", "loss.csv")),
        run_info=results(paths.face_gan("{method}", "training.json")),
    log:
        "results/logs/train_face_gan/{method}.log",
    benchmark:
        "results/benchmarks/train_face_gan/{method}.tsv"
    wildcard_constraints:
        method=FACE_GAN_METHODS_PATTERN,
    priority: PRIORITY_LONGEST
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=120,
    params:
        py=PY,
        script=script("train_face_gan"),
        settings=lambda wc: settings(wc.method),
        # one resume state per set of settings, as for the DDPM
        state=lambda wc: results(
            paths.state("face_gan", f"{wc.method}/{settings_key(PRESET[wc.method], config['seed'])}")
        ),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} {wildcards.method} --cache {input.train} --model {output.model}"
        " --state {params.state} --loss-csv {output.loss} --run-info {output.run_info} --settings {params.settings:q} --seed {params.seed}"
        " --val-cache {input.val} --val-embeddings {input.val_embeddings} --device {params.device} > {log} 2>&1"


rule sample_face_gan:
    """The graded output of problem 1: 1000 faces 0000.png .. 0999.png from a fixed seed."""
    input:
        rules.train_face_gan.output.model,
    output:
        samples=directory(results(paths.face_gan("{method}", "samples"))),
        timing=results(paths.face_gan("{method}", "sampling_time.json")),
    log:
        "results/logs/sample_face_gan/{method}.log",
    benchmark:
        "results/benchmarks/sample_face_gan/{method}.tsv"
    wildcard_constraints:
        method=FACE_GAN_METHODS_PATTERN,
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=2000,
        runtime=10,
    params:
        py=PY,
        script=script("sample_face_gan"),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --model {input} --out {output.samples} --timing {output.timing}"
        " --seed {params.seed} --device {params.device} > {log} 2>&1"


rule face_gan_detection:
    """The 2022 face-detection rate of a GAN's 1000 faces."""
    input:
        rules.sample_face_gan.output.samples,
    output:
        results(paths.face_gan("{method}", "detection.json")),
    log:
        "results/logs/face_detection/{method}.log",
    benchmark:
        "results/benchmarks/face_detection/{method}.tsv"
    wildcard_constraints:
        method=FACE_GAN_METHODS_PATTERN,
    params:
        py=PY,
        script=script("face_detection"),
    shell:
        "{params.py} {params.script} --images {input} --out {output} > {log} 2>&1"


rule face_gan_metrics:
    """FID and KID of a GAN's 1000 faces against all the val faces, in dlib's face embeddings (offline)
    and, when inception_weights names a local file, FID / IS / KID in Inception's features."""
    input:
        unpack(inception_weights_input),
        samples=rules.sample_face_gan.output.samples,
        reference=results(paths.cache("face", "val")),
        embeddings=rules.face_embeddings.output,
    output:
        results(paths.face_gan("{method}", "generative_metrics.json")),
    log:
        "results/logs/generative_metrics/face_gan_{method}.log",
    benchmark:
        "results/benchmarks/generative_metrics/face_gan_{method}.tsv"
    wildcard_constraints:
        method=FACE_GAN_METHODS_PATTERN,
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=30,
    params:
        py=PY,
        script=script("generative_metrics"),
        inception=inception_option,
        scored=PRESET["generative_metrics"]["face_samples"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --samples {input.samples} --max-samples {params.scored} --reference {input.reference}"
        " --whole-reference --reference-embeddings {input.embeddings} --size 64 --face-embeddings {params.inception}"
        " --device {params.device} --out {output} > {log} 2>&1"


rule compare_face_gans:
    """Every face GAN side by side: table, first 32 faces of each, training curves (year_face_gans: those
    of one year's problem 1)."""
    input:
        real=rules.face_detection_real.output,
        train_metrics=results(paths.faces("generative_metrics_train.json")),
        lfw=rules.face_detection_lfw.output,
        lfw_metrics=results(paths.faces("generative_metrics_lfw.json")),
        detections=expand(rules.face_gan_detection.output, method=FACE_GAN_METHODS),
        metrics=expand(rules.face_gan_metrics.output, method=FACE_GAN_METHODS),
        timings=expand(rules.sample_face_gan.output.timing, method=FACE_GAN_METHODS),
        losses=expand(rules.train_face_gan.output.loss, method=FACE_GAN_METHODS),
    output:
        csv=results(paths.face_gans("summary.csv")),
        md=results(paths.face_gans("summary.md")),
        first32=results(paths.face_gans("first32.png")),
        curves=results(paths.face_gans("training_curves.png")),
    log:
        "results/logs/compare_face_gans.log",
    benchmark:
        "results/benchmarks/compare_face_gans.tsv"
    params:
        py=PY,
        script=script("compare_face_gans"),
        methods=" ".join(f"--method {m}={results(paths.face_gan(m))}" for m in FACE_GAN_METHODS),
        year="",
    shell:
        "{params.py} {params.script} {params.methods}{params.year} --real {input.real} --train-metrics {input.train_metrics}"
        " --lfw {input.lfw} --lfw-metrics {input.lfw_metrics} --out {output.csv} --md {output.md}"
        " --first32 {output.first32} --curves {output.curves} > {log} 2>&1"


use rule compare_face_gans as year_face_gans with:
    input:
        real=rules.face_detection_real.output,
        train_metrics=results(paths.faces("generative_metrics_train.json")),
        lfw=rules.face_detection_lfw.output,
        lfw_metrics=results(paths.faces("generative_metrics_lfw.json")),
        detections=lambda wc: expand(rules.face_gan_detection.output, method=year_face_gans(wc.year)),
        metrics=lambda wc: expand(rules.face_gan_metrics.output, method=year_face_gans(wc.year)),
        timings=lambda wc: expand(rules.sample_face_gan.output.timing, method=year_face_gans(wc.year)),
        losses=lambda wc: expand(rules.train_face_gan.output.loss, method=year_face_gans(wc.year)),
    output:
        csv=results(paths.face_gans("summary.csv", "{year}")),
        md=results(paths.face_gans("summary.md", "{year}")),
        first32=results(paths.face_gans("first32.png", "{year}")),
        curves=results(paths.face_gans("training_curves.png", "{year}")),
    log:
        "results/logs/compare_face_gans/{year}.log",
    benchmark:
        "results/benchmarks/compare_face_gans/{year}.tsv"
    wildcard_constraints:
        year=FACE_GAN_YEARS,
    params:
        py=PY,
        script=script("compare_face_gans"),
        methods=lambda wc: " ".join(f"--method {m}={results(paths.face_gan(m))}" for m in year_face_gans(wc.year)),
        year=lambda wc: f" --year {wc.year}",


rule export_face_gan_checkpoint:
    """The generator past_years/2022/hw2_1.sh and past_years/2021/hw2_p1.sh use (face_gan_graded)."""
    input:
        results(paths.face_gan(config["face_gan_graded"], "model.pt")),
    output:
        course.checkpoint("face_gan"),
    log:
        "results/logs/export_face_gan_checkpoint.log",
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("export_checkpoint"),
    shell:
        "{params.py} {params.script} face_gan --model {input} --out {output} > {log} 2>&1"
