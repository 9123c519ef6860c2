# Face GANs of 2021/2022 problem 1: the face images (the demo's when no course data is given), their
# cache, the 2022 face-detection rate of the real faces and of the LFW sanity set, and the GANs
# (DCGAN, WGAN-GP, SAGAN) trained, sampled and scored. `face_gans` builds every method; the 2022 and
# 2021 `all` build the ones their problem 1 asks for (YEAR_FACE_GANS); the 2023 `all` none.


rule demo_faces:
    """Write the demo faces in the course's face layout (only when data_root is empty)."""
    output:
        train=directory(f"results/hw2_data/face/{DEMO_FACE_FOLDERS[0]}"),
        fid=directory(f"results/hw2_data/face/{DEMO_FACE_FOLDERS[1]}"),
    log:
        "results/logs/demo_faces.log",
    benchmark:
        "results/benchmarks/demo_faces.tsv"
    priority: PRIORITY_LONG
    threads: config["workers"]
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        py=PY,
        script=script("make_demo_faces"),
        sizes=PRESET["demo_data"]["face"],
        layout=PRESET["demo_data"]["layout"],
        seed=config["seed"],
    shell:
        "{params.py} {params.script} --face-dir results/hw2_data/face --train {params.sizes[train]}"
        " --val {params.sizes[val]} --layout {params.layout} --seed {params.seed} --workers {threads} > {log} 2>&1"


rule face_cache:
    """Decode a split's face images once (train; val: the FID split, 2022 val/ or 2021 test/)."""
    input:
        lambda wc: face_folder(wc.split),
    output:
        "results/cache/face/{split}.pt",
    log:
        "results/logs/face_cache/{split}.log",
    benchmark:
        "results/benchmarks/face_cache/{split}.tsv"
    wildcard_constraints:
        split="train|val",
    priority: PRIORITY_LONG
    resources:
        mem_mb=4000,
        runtime=20,
    params:
        py=PY,
        script=script("build_face_cache"),
        face_dir=FACE_DIR,
    shell:
        "{params.py} {params.script} --face-dir {params.face_dir} --split {wildcards.split} --out {output} > {log} 2>&1"


rule face_detection_real:
    """The 2022 face-detection rate of the real (or demo) val faces: what the GANs' faces are held to."""
    input:
        "results/cache/face/val.pt",
    output:
        "results/faces/detection_val.json",
    log:
        "results/logs/face_detection/val.log",
    benchmark:
        "results/benchmarks/face_detection/val.tsv"
    params:
        py=PY,
        script=script("face_detection"),
    shell:
        "{params.py} {params.script} --images {input} --out {output} > {log} 2>&1"


rule face_detection_lfw:
    """The same rate on the real-face sanity set scikit-image ships (100 LFW faces, 100 non-faces)."""
    output:
        "results/faces/detection_lfw.json",
    log:
        "results/logs/face_detection/lfw.log",
    benchmark:
        "results/benchmarks/face_detection/lfw.tsv"
    params:
        py=PY,
        script=script("face_detection"),
    shell:
        "{params.py} {params.script} --lfw --out {output} > {log} 2>&1"


rule lfw_cache:
    """The real-face sanity set (scikit-image's 100 LFW faces at 64x64) as a face cache."""
    output:
        "results/cache/face/lfw.pt",
    log:
        "results/logs/face_cache/lfw.log",
    params:
        py=PY,
        script=script("build_face_cache"),
    shell:
        "{params.py} {params.script} --lfw --out {output} > {log} 2>&1"


rule face_embeddings:
    """dlib's face embeddings of every val face, once: the reference side of each face FID."""
    input:
        "results/cache/face/val.pt",
    output:
        "results/cache/face/val_embeddings.pt",
    log:
        "results/logs/face_embeddings.log",
    benchmark:
        "results/benchmarks/face_embeddings.tsv"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        py=PY,
        script=script("face_embeddings"),
    shell:
        "{params.py} {params.script} --faces {input} --out {output} > {log} 2>&1"


rule face_metrics_real:
    """FID / KID (face embeddings; Inception when configured) of real faces against all the val faces:
    the first face_samples (1000) train faces (the floor a GAN's faces can reach) and the 100 LFW faces."""
    input:
        unpack(inception_weights_input),
        samples=lambda wc: f"results/cache/face/{'train' if wc.real == 'train' else 'lfw'}.pt",
        reference="results/cache/face/val.pt",
        embeddings=rules.face_embeddings.output,
    output:
        "results/faces/generative_metrics_{real}.json",
    log:
        "results/logs/generative_metrics/faces_{real}.log",
    benchmark:
        "results/benchmarks/generative_metrics/faces_{real}.tsv"
    wildcard_constraints:
        real="train|lfw",
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
        " --whole-reference --reference-embeddings {input.embeddings} --size 64 --face-embeddings"
        " {params.inception} --device {params.device} --out {output} > {log} 2>&1"


rule face_data:
    """The face images cached and their detection rate and face FID beside the LFW sanity set (the face
    GANs' inputs and the figures their faces are held to)."""
    input:
        expand("results/cache/face/{split}.pt", split=["train", "val"]),
        rules.face_detection_real.output,
        rules.face_detection_lfw.output,
        expand(rules.face_metrics_real.output, real=["train", "lfw"]),


rule train_face_gan:
    """One face GAN (dcgan, wgan_gp or sagan) with an EMA generator; resumes after a crash."""
    input:
        "results/cache/face/train.pt",
    output:
        model="results/face_gan/{method}/model.pt",
        loss="results/face_gan/{method}/loss.csv",
    log:
        "results/logs/train_face_gan/{method}.log",
    benchmark:
        "results/benchmarks/train_face_gan/{method}.tsv"
    wildcard_constraints:
        method=FACE_GAN_METHODS_PATTERN,
    priority: PRIORITY_LONG
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
        state=lambda wc: f"results/face_gan_state/{wc.method}/{settings_key(PRESET[wc.method], config['seed'])}/state.pt",
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} {wildcards.method} --cache {input} --model {output.model}"
        " --state {params.state} --loss-csv {output.loss} --settings {params.settings:q} --seed {params.seed}"
        " --device {params.device} > {log} 2>&1"


rule sample_face_gan:
    """The graded output of problem 1: 1000 faces 0000.png .. 0999.png from a fixed seed."""
    input:
        rules.train_face_gan.output.model,
    output:
        samples=directory("results/face_gan/{method}/samples"),
        timing="results/face_gan/{method}/sampling_time.json",
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
        "results/face_gan/{method}/detection.json",
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
        reference="results/cache/face/val.pt",
        embeddings=rules.face_embeddings.output,
    output:
        "results/face_gan/{method}/generative_metrics.json",
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
        train_metrics="results/faces/generative_metrics_train.json",
        lfw=rules.face_detection_lfw.output,
        lfw_metrics="results/faces/generative_metrics_lfw.json",
        detections=expand(rules.face_gan_detection.output, method=FACE_GAN_METHODS),
        metrics=expand(rules.face_gan_metrics.output, method=FACE_GAN_METHODS),
        timings=expand(rules.sample_face_gan.output.timing, method=FACE_GAN_METHODS),
        losses=expand(rules.train_face_gan.output.loss, method=FACE_GAN_METHODS),
    output:
        csv="results/face_gan/summary.csv",
        md="results/face_gan/summary.md",
        first32="results/face_gan/first32.png",
        curves="results/face_gan/training_curves.png",
    log:
        "results/logs/compare_face_gans.log",
    benchmark:
        "results/benchmarks/compare_face_gans.tsv"
    params:
        py=PY,
        script=script("compare_face_gans"),
        methods=" ".join(f"--method {m}=results/face_gan/{m}" for m in FACE_GAN_METHODS),
    shell:
        "{params.py} {params.script} {params.methods} --real {input.real} --train-metrics {input.train_metrics}"
        " --lfw {input.lfw} --lfw-metrics {input.lfw_metrics} --out {output.csv} --md {output.md}"
        " --first32 {output.first32} --curves {output.curves} > {log} 2>&1"


use rule compare_face_gans as year_face_gans with:
    input:
        real=rules.face_detection_real.output,
        train_metrics="results/faces/generative_metrics_train.json",
        lfw=rules.face_detection_lfw.output,
        lfw_metrics="results/faces/generative_metrics_lfw.json",
        detections=lambda wc: expand(rules.face_gan_detection.output, method=YEAR_FACE_GANS[wc.year]),
        metrics=lambda wc: expand(rules.face_gan_metrics.output, method=YEAR_FACE_GANS[wc.year]),
        timings=lambda wc: expand(rules.sample_face_gan.output.timing, method=YEAR_FACE_GANS[wc.year]),
        losses=lambda wc: expand(rules.train_face_gan.output.loss, method=YEAR_FACE_GANS[wc.year]),
    output:
        csv="results/face_gan/{year}/summary.csv",
        md="results/face_gan/{year}/summary.md",
        first32="results/face_gan/{year}/first32.png",
        curves="results/face_gan/{year}/training_curves.png",
    log:
        "results/logs/compare_face_gans/{year}.log",
    benchmark:
        "results/benchmarks/compare_face_gans/{year}.tsv"
    wildcard_constraints:
        year="2021|2022",
    params:
        py=PY,
        script=script("compare_face_gans"),
        methods=lambda wc: " ".join(f"--method {m}=results/face_gan/{m}" for m in YEAR_FACE_GANS[wc.year]),


rule export_face_gan_checkpoint:
    """The generator past_years/2022/hw2_1.sh and past_years/2021/hw2_p1.sh use (face_gan_graded)."""
    input:
        f"results/face_gan/{config['face_gan_graded']}/model.pt",
    output:
        "checkpoints/face_gan.pt",
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


rule face_gan_report:
    """The report of the face GANs (HTML and PDF): the section "Beyond 2023: GANs on faces", the face jobs'
    runtime and the environment, every number read from the results."""
    input:
        rules.compare_face_gans.output,
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
        preset=json.dumps(dict(PRESET, _name=config["preset"]), sort_keys=True),
    shell:
        "{params.py} {params.script} --document face_gans --results results --preset-json {params.preset:q}"
        " --html {output.html} --pdf {output.pdf} > {log} 2>&1"


rule face_gans:
    """Every face GAN trained, sampled, scored and compared, beside the real faces' own detection rate and
    FID; their report; the graded generator exported for the problem-1 grading scripts."""
    input:
        rules.face_data.input,
        rules.compare_face_gans.output,
        rules.face_gan_report.output,
        rules.export_face_gan_checkpoint.output,
