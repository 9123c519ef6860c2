"""The homework reports of 2022 and 2021 (`assignment: 2022 | 2021`): each answers that year's report
questions in their order, from the same results files and with the same sections' parts as the 2023
report (dlcv_hw2/report.py); headings name the questions, figure and table numbers follow the problem.

2022: problem 1 GANs on faces (A = DCGAN, B = an improvement: face_gan_improved), problem 2 the
conditional DDPM, problem 3 DANN MNIST-M -> SVHN / USPS. 2021: problem 1 a GAN on faces with FID and IS,
problem 2 the ACGAN, problem 3 DANN in MNIST-M -> USPS, SVHN -> MNIST-M, USPS -> SVHN, and the bonus, an
improved UDA model (DSN).
"""
import os
import re

from .cli import UserError
from .report import (
    FACE_GAN_NAMES,
    TOOLS,
    _acgan_recipe,
    _dsn_recipe,
    _fmt,
    dann_cells,
    ddpm_parts,
    environment,
    face_gan_parts,
    generator_parts,
    problem3,
    read_csv,
    references,
    runtime,
)

# Each year's report headings, in the order of that year's questions (h1: a problem, h2: a question).
QUESTIONS = {
    "2022": [
        ("Problem 1: GANs on faces (A: DCGAN; B: an improved GAN)", [
            "1.1 The model architectures of method A and method B",
            "1.2 The first 32 generated images of A and B, and the difference between them",
            "1.3 What we observed and learned from implementing GANs"]),
        ("Problem 2: conditional diffusion model (DDPM) on MNIST-M", [
            "2.1 Model architecture and implementation details",
            "2.2 Ten generated images for each digit (0-9)",
            "2.3 The reverse process of the first \"0\" at six time steps",
            "2.4 What we observed and learned from implementing the conditional diffusion model"]),
        ("Problem 3: DANN (MNIST-M -> SVHN, MNIST-M -> USPS)", [
            "3.1 Accuracy table",
            "3.2 t-SNE of the latent space on validation images, by digit and by domain",
            "3.3 Implementation details, and what we observed and learned from implementing DANN"]),
    ],
    "2021": [
        ("Problem 1: GAN on faces", [
            "1.1 Model architecture",
            "1.2 The first 32 generated images",
            "1.3 FID and Inception Score of the 1000 generated images",
            "1.4 What we observed and learned from implementing GANs"]),
        ("Problem 2: ACGAN on MNIST-M", [
            "2.1 ACGAN model architecture",
            "2.2 Ten generated images for each digit (0-9)",
            "2.3 Accuracy of the 1000 generated digits"]),
        ("Problem 3: DANN (MNIST-M -> USPS, SVHN -> MNIST-M, USPS -> SVHN)", [
            "3.1 Accuracy table",
            "3.2 t-SNE of the latent space, by digit and by domain",
            "3.3 Implementation details, and what we observed and learned from implementing DANN"]),
        ("Bonus: an improved UDA model (DSN)", [
            "B.1 Accuracy of DANN and the improved model",
            "B.2 Implementation details of the improved model"]),
    ],
}
TITLES = {"2022": "DLCV Fall 2022 HW2 report", "2021": "DLCV Fall 2021 HW2 report"}


def _renumber(blocks: list, number: str) -> list:
    """Blocks with their figure and table numbers moved to problem ``number`` ("Figure 1.3" -> "Figure 2.3")."""
    def caption(text):
        return re.sub(r"^(Figure|Table) \d+\.", rf"\g<1> {number}.", text)

    out = []
    for b in blocks:
        if b[0] == "img":
            b = (b[0], b[1], caption(b[2]))
        elif b[0] == "table":
            b = (b[0], b[1], b[2], caption(b[3]))
        out.append(b)
    return out


def _problem(year: str, index: int, answers: list) -> list:
    """A problem's h1 and, per question, its h2 and answer blocks (``answers`` in question order)."""
    title, questions = QUESTIONS[year][index]
    if len(answers) != len(questions):
        raise ValueError(f"{year} problem {index + 1}: {len(answers)} answers for {len(questions)} questions")
    blocks = [("h1", title)]
    for heading, answer in zip(questions, answers):
        blocks += [("h2", heading)] + answer
    return blocks


def _face_gan_observations(root: str, rows: list) -> list:
    """What training the face GANs showed, stated from the summary and the loss files."""
    gans = [r for r in rows if r["method"] in FACE_GAN_NAMES]
    said = []
    for r in gans:
        loss = read_csv(os.path.join(root, "face_gan", r["method"], "loss.csv"))
        said.append(f"{FACE_GAN_NAMES[r['method']]} trained {len(loss)} epochs in "
                    f"{float(r['training_seconds']):.0f} s; "
                    f"its discriminator loss went from {float(loss[0]['d_loss']):.3f} to "
                    f"{float(loss[-1]['d_loss']):.3f} and its generator loss from {float(loss[0]['g_loss']):.3f} to "
                    f"{float(loss[-1]['g_loss']):.3f} (first to last epoch)")
    real = next(r for r in rows if r["method"] == "real_val")
    best = max(gans, key=lambda r: float(r["face_detection_rate"]))
    gap = float(real["face_detection_rate"]) - float(best["face_detection_rate"])
    return [("p", "; ".join(said) + ". The losses of a GAN measure the two networks against each other, not the "
                  "faces: the face FID and the detection rate above are what rank the methods. The best detection "
                  f"rate of a method ({FACE_GAN_NAMES[best['method']]}, {float(best['face_detection_rate']):.1f} %) "
                  f"is {gap:.1f} points below the real val faces' ({float(real['face_detection_rate']):.1f} %).")]


def _ddpm_observations(parts: dict) -> list:
    return [("p", "The sweeps below measure two choices of the sampler on the trained model: the guidance weight "
                  "and the number of sampling steps.")] + parts["sweeps"]


def _methods_2022(rows: list) -> str:
    """Which GAN is method A and which method B, from the rows of the 2022 summary."""
    trained = [r["method"] for r in rows if r["method"] in FACE_GAN_NAMES]
    improved = [FACE_GAN_NAMES[m] for m in trained if m != "dcgan"]
    if "dcgan" not in trained or not improved:
        raise UserError("the 2022 face-GAN summary needs DCGAN (method A) and an improved GAN (method B); it has "
                        + ", ".join(FACE_GAN_NAMES[m] for m in trained))
    return (f"Method A is DCGAN; method B, the improvement, is {' and '.join(improved)} (face_gan_improved). Each "
            "samples 1000 faces of 64x64 from a fixed seed.")


def document_2022(root: str, preset: dict, scenarios: list, device_note: str) -> list:
    faces = face_gan_parts(root, preset, "face_gan/2022")
    ddpm = ddpm_parts(root, preset)
    doc = [("title", TITLES["2022"]),
           ("p", "Built by `snakemake all --config assignment=2022` from the results of this run "
                 f"('{preset['_name']}' preset).")]
    doc += _problem("2022", 0, [
        [("p", _methods_2022(faces["rows"]))] + faces["arch"],
        faces["first32"] + faces["scores"],
        faces["curves"] + _face_gan_observations(root, faces["rows"])])
    doc += _renumber(_problem("2022", 1, [
        ddpm["arch"] + ddpm["details"], ddpm["images"] + ddpm["accuracy"], ddpm["reverse"],
        _ddpm_observations(ddpm)]), "2")
    if scenarios:
        dann = problem3(root, preset, scenarios, title_text=QUESTIONS["2022"][2][0])
        doc += _retitle(dann, QUESTIONS["2022"][2][1])
    b = [r["method"] for r in faces["rows"] if r["method"] in FACE_GAN_NAMES and r["method"] != "dcgan"]
    cited = [("dcgan", "problem 1, method A"), *((m, "problem 1, method B") for m in b),
             *([("sn", "problem 1, method B")] if "sagan" in b else []),
             ("dlib", "problem 1 (face detection, face embeddings)"), ("fid", "problem 1 (FID)"),
             ("kid", "problem 1 (KID)"), ("torch_fidelity", "problem 1 (FID, KID)"), ("ddpm", "problem 2"),
             ("cfg", "problem 2 (guidance)"), ("ddim", "problem 2 (sampling)")]
    if scenarios:
        cited += [("dann", "problem 3"), ("tsne", "problem 3 (t-SNE)"), ("sklearn", "problem 3 (t-SNE)")]
    return doc + runtime(root) + environment(device_note) + references(cited + TOOLS)


def _retitle(blocks: list, questions: list) -> list:
    """problem3's blocks with its three h2 headings replaced by the year's questions, in order."""
    heads = [i for i, b in enumerate(blocks) if b[0] == "h2"]
    if len(heads) != len(questions):
        raise ValueError(f"{len(heads)} sections for {len(questions)} questions")
    out = list(blocks)
    for i, q in zip(heads, questions):
        out[i] = ("h2", q)
    return out


def _acgan_architecture(root: str, preset: dict) -> list:
    from .files import load_torch
    from .models.acgan import Discriminator, Generator

    cfg = preset["acgan"]
    ckpt = load_torch(os.path.join(root, "acgan/model.pt"), what="ACGAN model")["config"]
    return [("p", _acgan_recipe(cfg)),
            ("pre", f"Generator:\n{Generator(z_dim=ckpt['z_dim'], channels=ckpt['g_channels'])}\n\nDiscriminator:\n"
                    f"{Discriminator(cfg['d_channels'], cfg['spectral_norm'], cfg['projection'])}")]


def _face_gan_fid_is(rows: list, graded: str) -> list:
    """2021's question 3: the graded model's FID and IS, as the course computed them or not at all."""
    r = next((r for r in rows if r["method"] == graded), None)
    if r is None:
        raise UserError(f"the 2021 face-GAN summary has no row of the graded model {graded} (face_gan_graded)")
    name = FACE_GAN_NAMES[graded]
    if r["fid_inception"].startswith("not computed"):
        return [("p", f"The graded model, {name} (face_gan_graded): FID and IS with Inception are not computed "
                      "(no local Inception weights configured; README, \"Generative metrics\"), so no number "
                      f"is given against 2021's baselines (FID 35.0 / 30.0, IS 2.00 / 2.15). In their place its "
                      f"1000 faces score an FID of {float(r['fid_face']):.3f} in dlib's face embeddings against "
                      "the faces of the FID split, a stand-in comparable only between the rows of the table "
                      "above.")]
    return [("p", f"The graded model, {name} (face_gan_graded): FID {float(r['fid_inception']):.2f} against the "
                  f"faces of the FID split and Inception Score {float(r['is_inception']):.3f} (2021's baselines: "
                  "FID 35.0 / 30.0, IS 2.00 / 2.15).")]


def _bonus(root: str, preset: dict, scenarios: list) -> list:
    from .scenarios import METHOD_TITLES, title

    cell, methods = dann_cells(root, scenarios, "dann/accuracy_table_2021.csv")
    if not {"dann", "dsn"} <= set(methods):
        raise UserError(f"{root}/dann/accuracy_table_2021.csv lacks the DANN or the DSN rows (run the workflow first)")
    rows = [[METHOD_TITLES[m]] + [f"{_fmt(cell[(s, m)]['mean'])} ± {_fmt(cell[(s, m)]['sd'])}" for s in scenarios]
            for m in ("dann", "dsn")]
    gaps = {s: float(cell[(s, "dsn")]["mean"]) - float(cell[(s, "dann")]["mean"]) for s in scenarios}
    ahead = [s for s in scenarios if gaps[s] > 0]
    text = (f"DSN is ahead of our DANN in {len(ahead)} of the {len(scenarios)} scenarios ("
            + "; ".join(f"{title(s)} {gaps[s]:+.1f} points" for s in scenarios) + ")"
            + (", as the bonus asks." if len(ahead) == len(scenarios) else
               ", so the bonus's condition (ahead in every scenario) is not met on this run."))
    figures = []
    for k, s in enumerate(scenarios):
        figures += [("img", os.path.join(root, f"dann_{s}/tsne_dsn_digit.png"),
                     f"Figure B.{2 * k + 1}: {title(s)}, DSN shared features coloured by digit."),
                    ("img", os.path.join(root, f"dann_{s}/tsne_dsn_domain.png"),
                     f"Figure B.{2 * k + 2}: {title(s)}, DSN shared features coloured by domain.")]
    n = len(preset["dann"]["seeds"])
    return _problem("2021", 3, [
        [("table", [""] + [title(s) for s in scenarios], rows,
          f"Table B.1: target accuracy (%) of DANN and DSN, mean ± sd over {n} seed(s), the same data and "
          "options."), ("p", text)],
        [("p", _dsn_recipe(preset["dann"]).strip())] + figures])


def document_2021(root: str, preset: dict, scenarios: list, graded: str, device_note: str) -> list:
    if scenarios:  # the configuration table states the methods the 2021 set really ran (DSN too)
        preset = dict(preset, dann=dict(preset["dann"], methods=dann_cells(root, scenarios,
                                                                           "dann/accuracy_table_2021.csv")[1]))
    faces = face_gan_parts(root, preset, "face_gan/2021")
    acgan = generator_parts(root, preset, "acgan/summary")
    doc = [("title", TITLES["2021"]),
           ("p", "Built by `snakemake all --config assignment=2021` from the results of this run "
                 f"('{preset['_name']}' preset).")]
    doc += _problem("2021", 0, [
        [("p", f"The model, {FACE_GAN_NAMES[graded]} (face_gan_graded; past_years/2021/hw2_p1.sh), samples 1000 "
               "faces of 64x64 from a fixed seed. (`snakemake face_gans` trains and compares every face GAN of "
               "this project: DCGAN, WGAN-GP and SAGAN.)")] + faces["arch"],
        faces["first32"],
        faces["scores"] + _face_gan_fid_is(faces["rows"], graded),
        faces["curves"] + _face_gan_observations(root, faces["rows"])])
    doc += _renumber(_problem("2021", 1, [
        _acgan_architecture(root, preset), acgan["grids"],
        acgan["scores"] + acgan["per_digit"] + acgan["curves"]]), "2")
    if scenarios:
        dann = problem3(root, preset, scenarios, table="dann/accuracy_table_2021.csv",
                        title_text=QUESTIONS["2021"][2][0], hide=("dsn",))
        doc += _retitle(dann, QUESTIONS["2021"][2][1]) + _bonus(root, preset, scenarios)
    cited = [(graded, "problem 1"), *([("sn", "problem 1")] if graded == "sagan" else []),
             ("fid", "problem 1 (FID)"), ("is", "problem 1 (IS)"), ("torch_fidelity", "problem 1 (FID, IS, KID)"),
             ("dlib", "problem 1 (face embeddings for the offline face FID)"), ("acgan", "problem 2"),
             ("sn", "problem 2 (the discriminator)")]
    if scenarios:
        cited += [("dann", "problem 3"), ("tsne", "problem 3 (t-SNE)"), ("sklearn", "problem 3 (t-SNE)"),
                  ("dsn", "the bonus")]
    return doc + runtime(root) + environment(device_note) + references(cited + TOOLS)
