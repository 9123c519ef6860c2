# The face images of 2021/2022 problem 1 (the demo's when no course data is given), their cache, and the
# real faces scored alike with the GANs: the 2022 face-detection rate of the val faces and of the LFW
# sanity set, the val faces' embeddings and the face FID of the real train faces. `face_data` builds them.


rule demo_faces:
    """Write the demo faces in the course's face layout (only when data_root is empty)."""
    output:
        train=directory(results(paths.demo_data(f"face/{DEMO_FACE_FOLDERS[0]}"))),
        fid=directory(results(paths.demo_data(f"face/{DEMO_FACE_FOLDERS[1]}"))),
    log:
        "results/logs/demo_faces.log",
    benchmark:
        "results/benchmarks/demo_faces.tsv"
    priority: PRIORITY_EVERY_CORE
    threads: config["workers"]
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        py=PY,
        script=script("make_demo_faces"),
        face_dir=lambda wc, output: os.path.dirname(output.train),
        sizes=PRESET["demo_data"]["face"],
        layout=PRESET["demo_data"]["layout"],
        seed=config["seed"],
    shell:
        "{params.py} {params.script} --face-dir {params.face_dir} --train {params.sizes[train]}"
        " --val {params.sizes[val]} --layout {params.layout} --seed {params.seed} --workers {threads} > {log} 2>&1"


rule face_cache:
    """Decode a split's face images once (train; val: the FID split, 2022 val/ or 2021 test/)."""
    input:
        lambda wc: face_folder(wc.split),
    output:
        results(paths.cache("face", "{split}")),
    log:
        "results/logs/face_cache/{split}.log",
    benchmark:
        "results/benchmarks/face_cache/{split}.tsv"
    wildcard_constraints:
        split="train|val",
    priority: PRIORITY_DATA
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
        results(paths.cache("face", "val")),
    output:
        results(paths.faces("detection_val.json")),
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
        results(paths.faces("detection_lfw.json")),
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
        results(paths.cache("face", "lfw")),
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
        results(paths.cache("face", "val")),
    output:
        results(paths.cache("face", "val_embeddings")),
    log:
        "results/logs/face_embeddings.log",
    benchmark:
        "results/benchmarks/face_embeddings.tsv"
    priority: PRIORITY_DATA  # the face GANs' learning curves wait for it
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
        samples=lambda wc: results(paths.cache("face", "train" if wc.real == "train" else "lfw")),
        reference=results(paths.cache("face", "val")),
        embeddings=rules.face_embeddings.output,
    output:
        results(paths.faces("generative_metrics_{real}.json")),
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
        expand(results(paths.cache("face", "{split}")), split=["train", "val"]),
        rules.face_detection_real.output,
        rules.face_detection_lfw.output,
        expand(rules.face_metrics_real.output, real=["train", "lfw"]),
