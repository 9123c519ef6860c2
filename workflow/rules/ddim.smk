# Problem 2: DDIM with the course's face UNet (when data_root has face/), and the report's grids.
import shlex


rule ddim_faces:
    """The graded faces: exactly what hw2_2.sh writes (50 uniform steps, eta = 0)."""
    input:
        noise=os.path.join(FACE_DIR, "noise"),
        unet=os.path.join(FACE_DIR, "UNet.pt"),
    output:
        directory(results(paths.ddim("faces"))),
    log:
        "results/logs/ddim_faces.log",
    benchmark:
        "results/benchmarks/ddim_faces.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=6000,
        runtime=60,
    params:
        py=PY,
        script=script("ddim_faces"),
        device=config["device"],
    shell:
        "{params.py} {params.script} --noise-dir {input.noise} --unet {input.unet} --out {output}"
        " --device {params.device} > {log} 2>&1"


rule ddim_mse:
    """MSE of the graded faces against GT/ (0-255 scale), per image and mean."""
    input:
        faces=rules.ddim_faces.output[0],
        gt=os.path.join(FACE_DIR, "GT"),
    output:
        report(results(paths.ddim("mse.csv")), category="Problem 2: DDIM", caption="../../report/ddim_mse.rst"),
    log:
        "results/logs/ddim_mse.log",
    benchmark:
        "results/benchmarks/ddim_mse.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("evaluate_mse"),
    shell:
        "{params.py} {params.script} --out-dir {input.faces} --gt-dir {input.gt} --csv {output} > {log} 2>&1"


rule ddim_grids:
    """Eta grid and slerp / linear interpolation grids (face UNet, or the digit model in the demo)."""
    input:
        unpack(ddim_grid_inputs),
    output:
        **{
            name: report(
                results(paths.ddim(f"figures/{name}.png")),
                category="Problem 2: DDIM",
                caption=f"../../report/ddim_{name}.rst",
            )
            for name in paths.DDIM_FIGURES
        },
        stats=results(paths.ddim("grid_stats.csv")),
    log:
        "results/logs/ddim_grids.log",
    benchmark:
        "results/benchmarks/ddim_grids.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=6000,
        runtime=30,
    params:
        py=PY,
        script=script("ddim_grids"),
        args=lambda wc, input: (
            f"face --unet {input.unet} --noise-dir {input.noise}"
            if HAVE_FACES
            else f"digit --model {input.model} --settings {shlex.quote(settings('ddpm_sampling'))}"
        ),
        seed=config["seed"],
        out_dir=lambda wc, output: os.path.dirname(output.eta_grid),
        device=config["device"],
    shell:
        "{params.py} {params.script} {params.args} --out-dir {params.out_dir} --stats {output.stats}"
        " --seed {params.seed} --device {params.device} > {log} 2>&1"
