# Face GANs of 2021/2022 problem 1: the face images (the demo's when no course data is given), their
# cache, and the 2022 face-detection rate of the real faces and of the LFW sanity set.


rule demo_faces:
    """Write the demo faces in the course's face layout (only when data_root is empty)."""
    output:
        train=directory(f"results/hw2_data/face/{DEMO_FACE_FOLDERS[0]}"),
        fid=directory(f"results/hw2_data/face/{DEMO_FACE_FOLDERS[1]}"),
    log:
        "results/logs/demo_faces.log",
    benchmark:
        "results/benchmarks/demo_faces.tsv"
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


rule face_data:
    """The face images cached and their detection rate beside the LFW sanity set (the face GANs' inputs)."""
    input:
        expand("results/cache/face/{split}.pt", split=["train", "val"]),
        rules.face_detection_real.output,
        rules.face_detection_lfw.output,
