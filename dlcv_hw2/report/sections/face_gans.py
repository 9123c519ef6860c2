"""The face GANs' answers (problem 1 of the years that had it): each method's recipe and networks, the
first 32 faces, the table of every score beside real faces and what it shows, the training curves, and
the year questions' comparisons (methods A and B, the graded model's FID and IS)."""

import math
import os

from ... import course, paths
from ...core.cli import UserError
from ...methods.face_gan import FACE_GANS, REAL_FACES, build_discriminator, build_generator, recipe
from ..blocks import Code, Figure, Paragraph, Table
from .common import cell, is_number, read_csv, require
from .generators import variety_text

DETECTION_BASELINES = (
    f"{course.DETECTION_YEAR.name}'s baselines: {course.DETECTION_YEAR.baseline('face_detection_rate').text}"
)


def _face_text(rows: list) -> str:
    by = {r["method"]: r for r in rows}
    gans = [r for r in rows if r["method"] in FACE_GANS]
    name = {m: FACE_GANS[m].name for m in by if m in FACE_GANS}
    best_fid = min(gans, key=lambda r: float(r["fid_face"]))
    best_det = max(gans, key=lambda r: float(r["face_detection_rate"]))
    floor = float(by["real_train"]["fid_face"])
    one = len(gans) == 1
    inception = not gans[0]["fid_inception"].startswith("not computed")
    text = [
        f"Against all {by['real_val']['faces']} val faces, the {'' if one else 'lowest '}FID in dlib's face "
        f"embeddings is {name[best_fid['method']]}'s ({float(best_fid['fid_face']):.3f}); "
        f"{by['real_train']['scored']} real train faces score {floor:.3f}, the floor a generator's faces can "
        f"reach, so {name[best_fid['method']]} stands at {float(best_fid['fid_face']) / floor:.1f} "
        "times it."
        if floor > 0
        else "",
        ""
        if one
        else " By face FID the methods rank "
        + " < ".join(
            f"{name[r['method']]} {float(r['fid_face']):.3f}" for r in sorted(gans, key=lambda r: float(r["fid_face"]))
        )
        + ".",
        f" dlib's detector finds exactly one face in {float(best_det['face_detection_rate']):.1f} % of "
        f"{name[best_det['method']]}'s faces{'' if one else f', the most of the {len(gans)} methods'}, "
        f"against {float(by['real_val']['face_detection_rate']):.1f} % of the real val faces "
        f"({DETECTION_BASELINES} %).",
    ]
    ceiling = by["real_train"].get("recall_face", "")
    if ceiling not in ("", None):
        for r in gans:
            text.append(
                variety_text(
                    name[r["method"]], r["precision_face"], r["recall_face"], ceiling, "dlib's face embeddings"
                )
            )
    if "lfw" in by:
        text.append(
            f" The 100 real LFW faces scikit-image ships score {float(by['lfw']['face_detection_rate']):.1f} % "
            f"by the detector and a face FID of {float(by['lfw']['fid_face']):.3f} against these val faces "
            "(other people, grey, upscaled from 25x25)."
        )
    text.append(
        " The face FID is an offline stand-in: comparable between the rows of this table, not with the "
        "course's Inception FID"
        + ("." if inception else ", which is not computed here (no local Inception weights configured).")
    )
    return "".join(text)


def _face_baselines(year) -> dict:
    """{metric: "YEAR's baselines S / S"} of a face-GAN table: a year's own (course.py), or, for the table of
    every method (``year`` None), the detection rate's of the one year that graded it; no Inception
    baselines then, which belong to one year each."""
    if year is None:
        year = course.DETECTION_YEAR
        return {"face_detection_rate": f"{year.name}'s baselines {year.baseline('face_detection_rate').text}"}
    return {b.metric: f"{year.name}'s baselines {b.text}" for b in year.baselines}


def _face_table(rows: list, year) -> tuple:
    inception = not next(r for r in rows if r["method"] in FACE_GANS)["fid_inception"].startswith("not computed")
    base = _face_baselines(year)

    def head(text: str, key: str) -> str:
        return f"{text} ({base[key]})" if key in base else text

    heads = [
        "",
        head("face detection (%)", "face_detection_rate"),
        "faces scored",
        "FID (face emb.)",
        "KID (face emb.)",
        "precision (face emb.)",
        "recall (face emb.)",
    ]
    heads += [head("FID (Inception)", "fid_inception"), head("IS (Inception)", "is_inception")] if inception else []
    heads += ["precision (Inception)", "recall (Inception)"] if inception else []
    imagenet = not next(r for r in rows if r["method"] in FACE_GANS)["is_imagenet"].startswith("not computed")
    heads += [head("IS (ImageNet Inception)", "is_imagenet")] if imagenet else []
    heads += ["training (s)", "sampling 1000 (s)", "generator parameters"]
    table = []
    for r in rows:
        name = FACE_GANS[r["method"]].name if r["method"] in FACE_GANS else REAL_FACES.get(r["method"], r["method"])
        cells = [
            cell(r["face_detection_rate"], 1) if r["face_detection_rate"] else "",
            r["scored"],
            cell(r["fid_face"], 3) if r["fid_face"] else "",
            cell(r["kid_face"], 4) if r["kid_face"] else "",
            cell(r["precision_face"], 3) if r["precision_face"] else "",
            cell(r["recall_face"], 3) if r["recall_face"] else "",
        ]
        if inception:
            cells += [
                cell(r[k], d) if r[k] else ""
                for k, d in (
                    ("fid_inception", 2),
                    ("is_inception", 3),
                    ("precision_inception", 3),
                    ("recall_inception", 3),
                )
            ]
        if imagenet:
            cells.append(cell(r["is_imagenet"], 3) if r["is_imagenet"] else "")
        cells += [
            cell(r[k], d) if r[k] else ""
            for k, d in (("training_seconds", 1), ("sampling_seconds", 2), ("generator_parameters", 0))
        ]
        table.append([name] + cells)
    return heads, table


def _curve_text(gans: list, losses: dict) -> str:
    """What the detection-rate curves (curve_faces) show: when each method's faces first passed 85 %,
    or the most they reached, and where they ended (``losses``: each method's loss.csv rows)."""
    said = []
    for r in gans:
        loss = losses[r["method"]]
        if not loss or "detection_rate" not in loss[0]:
            continue
        seconds, passed, best = 0.0, None, max(loss, key=lambda e: float(e["detection_rate"]))
        for e in loss:
            seconds += float(e["seconds"])
            if passed is None and float(e["detection_rate"]) >= 85:
                passed = (e, seconds)
        name = FACE_GANS[r["method"]].name
        if passed:
            e, t = passed
            said.append(
                f"{name}'s passed 85 % after epoch {e['epoch']} (step {e['step']}, {t:.0f} s of training) and "
                f"ended at {float(loss[-1]['detection_rate']):.1f} %"
            )
        else:
            said.append(
                f"{name}'s never reached 85 %: at most {float(best['detection_rate']):.1f} % (epoch "
                f"{best['epoch']}), {float(loss[-1]['detection_rate']):.1f} % at the end"
            )
    varied = []
    for r in gans:
        loss = [
            e for e in losses[r["method"]] if is_number(e.get("recall_face")) and math.isfinite(float(e["recall_face"]))
        ]
        if loss:
            first, best = loss[0], max(loss, key=lambda e: float(e["recall_face"]))
            varied.append(
                f"{FACE_GANS[r['method']].name}'s recall went from {float(first['recall_face']):.3f} after epoch "
                f"{first['epoch']} to {float(loss[-1]['recall_face']):.3f} at the end (at most "
                f"{float(best['recall_face']):.3f}, epoch {best['epoch']}), its precision from "
                f"{float(first['precision_face']):.3f} to {float(loss[-1]['precision_face']):.3f}"
            )
    text = ""
    if said:
        text = (
            "During training, of the faces the EMA generator draws from fixed noise after each epoch, "
            + "; ".join(said)
            + " (the detection rate of the curve_faces faces per epoch, the middle panel)."
        )
    if varied:
        text += (
            (" " if text else "")
            + "Their variety, measured on the first curve_recall_faces of those faces every few epochs (precision "
            "and recall in dlib's face embeddings against the val faces, k = 3; fewer faces than the table's, so "
            "the figures are not the table's): " + "; ".join(varied) + " (the bottom panel)."
        )
    return text


def scores(rows: list, year=None) -> list:
    """The table of the face GANs beside real faces (the comparison's summary.csv rows, as text) with
    ``year``'s baselines in its heads (a course.Year; None: every method's table), and what it shows.
    The report's answer, and compare_face_gans.py's summary.md."""
    heads, table = _face_table(rows, year)
    return [
        Table(heads, table, "the face GANs beside real faces, scored alike against the val faces."),
        Paragraph(_face_text(rows)),
    ]


def reads(methods: list, year: str = "") -> list:
    """Every results file the section reads: the comparison's summary and figures (of every method, or of
    ``year``'s), and the loss.csv of each method compared (``methods``)."""
    files = [paths.face_gans(n, year) for n in ("summary.csv", "first32.png", "training_curves.png")]
    return files + [paths.face_gan(m, "loss.csv") for m in methods]


def answers(root: str, preset: dict, year: str = "") -> dict:
    """The face GANs side by side (the comparison's summary.csv and figures: of every method, or of those
    ``year``'s `all` trains): arch (each method's recipe and printed networks), first32, scores (the table
    and what it shows), curves; and rows, the summary's, and losses, each method's loss.csv rows (read once)."""
    summary, first32, curves = (paths.face_gans(n, year) for n in ("summary.csv", "first32.png", "training_curves.png"))
    require(root, summary, first32, curves)
    year = course.YEARS.get(year)  # a year's own face GANs, or None: every method
    rows = read_csv(os.path.join(root, summary))
    gans = [r for r in rows if r["method"] in FACE_GANS]
    if not gans or not {"real_val", "real_train"} <= {r["method"] for r in rows}:
        raise UserError(f"{os.path.join(root, summary)} lacks the GAN or real-face rows")
    arch = []
    for r in gans:
        m, cfg = r["method"], preset[r["method"]]
        entry = FACE_GANS[m]
        arch += [
            Paragraph(recipe(m, cfg)),
            Code(
                f"{entry.name} generator:\n{build_generator(m, cfg['z_dim'], cfg['g_channels'])}\n\n"
                f"{entry.name} {'critic' if entry.critic else 'discriminator'}:\n"
                f"{build_discriminator(m, cfg['d_channels'], cfg['minibatch_std'])}"
            ),
        ]
    losses = {r["method"]: read_csv(os.path.join(root, paths.face_gan(r["method"], "loss.csv"))) for r in gans}
    curve = _curve_text(gans, losses)
    one = len(gans) == 1
    return {
        "arch": arch,
        "rows": rows,
        "losses": losses,
        "first32": [
            Figure(
                os.path.join(root, first32),
                "the first 32 faces" + (" of the generator." if one else " of each method."),
            )
        ],
        "scores": scores(rows, year),
        "curves": [
            Figure(
                os.path.join(root, curves),
                "training curves: the discriminator or critic and generator losses per epoch; below, the detection "
                "rate of the generator's faces after each epoch, against the training time.",
            ),
            *([Paragraph(curve)] if curve else []),
        ],
    }


def observations(rows: list, losses: dict) -> list:
    """What training the face GANs showed, stated from the summary's rows and the methods' loss rows (answers())."""
    gans = [r for r in rows if r["method"] in FACE_GANS]
    said = []
    for r in gans:
        loss = losses[r["method"]]
        said.append(
            f"{FACE_GANS[r['method']].name} trained {len(loss)} epochs in "
            f"{float(r['training_seconds']):.0f} s; "
            f"its discriminator loss went from {float(loss[0]['d_loss']):.3f} to "
            f"{float(loss[-1]['d_loss']):.3f} and its generator loss from {float(loss[0]['g_loss']):.3f} to "
            f"{float(loss[-1]['g_loss']):.3f} (first to last epoch)"
        )
    real = next(r for r in rows if r["method"] == "real_val")
    best = max(gans, key=lambda r: float(r["face_detection_rate"]))
    gap = float(real["face_detection_rate"]) - float(best["face_detection_rate"])
    return [
        Paragraph(
            "; ".join(said) + ". The losses of a GAN measure the two networks against each other, not "
            "the faces: the face FID and the detection rate above are what rank the methods. The best "
            f"detection rate of a method ({FACE_GANS[best['method']].name}, "
            f"{float(best['face_detection_rate']):.1f} %) is {abs(gap):.1f} points "
            f"{'below' if gap > 0 else 'above'} the real val faces' ({float(real['face_detection_rate']):.1f} %)"
            + ("" if gap > 0 else ": the detector's rate does not measure how varied the faces are")
            + "."
        )
    ]


def methods_a_b(rows: list, a: str) -> str:
    """Which GAN is method A (``a``) and which method B, from the rows of the face-GAN summary."""
    trained = [r["method"] for r in rows if r["method"] in FACE_GANS]
    improved = [FACE_GANS[m].name for m in trained if m != a]
    if a not in trained or not improved:
        raise UserError(
            f"the face-GAN summary of methods A and B needs {FACE_GANS[a].name} (method A) and an improved GAN "
            "(method B); it has " + ", ".join(FACE_GANS[m].name for m in trained)
        )
    return (
        f"Method A is {FACE_GANS[a].name}; method B, the improvement, is {' and '.join(improved)} "
        "(face_gan_improved). Each samples 1000 faces of 64x64 from a fixed seed."
    )


def _variety_a_b(a: dict, b: dict) -> str:
    """B's precision / recall in face embeddings against A's, when both were computed."""
    figures = [r[k] for r in (b, a) for k in ("precision_face", "recall_face")]
    if not all(is_number(v) for v in figures):
        return ""
    pb, rb, pa, ra = map(float, figures)
    return f"; in the same embeddings B's precision / recall are {pb:.3f} / {rb:.3f} against A's {pa:.3f} / {ra:.3f}"


def difference_a_b(rows: list, method_a: str) -> str:
    """The difference between A (``method_a``) and B (the year's question), stated from the measured figures."""
    by = {r["method"]: r for r in rows}
    a, name_a = by[method_a], FACE_GANS[method_a].name
    said = []
    for m in (m for m in by if m in FACE_GANS and m != method_a):
        b, name = by[m], FACE_GANS[m].name
        det_a, det_b = float(a["face_detection_rate"]), float(b["face_detection_rate"])
        fid_a, fid_b = float(a["fid_face"]), float(b["fid_face"])
        said.append(
            f"The difference, measured: dlib's detector finds a face in {det_b:.1f} % of {name}'s (B) faces "
            f"against {det_a:.1f} % of {name_a}'s (A), {abs(det_b - det_a):.1f} points "
            f"{'more' if det_b >= det_a else 'fewer'}, and B's face FID is {fid_b:.3f} against A's {fid_a:.3f} "
            f"({fid_b / fid_a:.2f} times A's: B's faces lie {'closer to' if fid_b < fid_a else 'farther from'} the "
            f"val faces in dlib's face embeddings){_variety_a_b(a, b)}. "
            f"B trained {float(b['training_seconds']):.0f} s, A "
            f"{float(a['training_seconds']):.0f} s."
        )
    return " ".join(said)


def fid_is(year: course.Year, rows: list, graded: str) -> list:
    """The question of the graded model's FID and IS, as the course computed them (FID: the FID Inception,
    IS: torchvision's ImageNet Inception) or not at all."""
    r = next((r for r in rows if r["method"] == graded), None)
    if r is None:
        raise UserError(f"the {year.name} face-GAN summary has no row of the graded model {graded} (face_gan_graded)")
    fid_base, is_base = year.baseline("fid_inception").text, year.baseline("is_imagenet").text
    by = f"{year.name}'s baselines"
    name = FACE_GANS[graded].name
    fid = not r["fid_inception"].startswith("not computed")
    imagenet = not r["is_imagenet"].startswith("not computed")
    said = [f"The graded model, {name} (face_gan_graded):"]
    said.append(
        f"FID {float(r['fid_inception']):.2f} against the faces of the FID split ({by} {fid_base});"
        if fid
        else "its FID with Inception is not computed (no local inception_weights configured; README, "
        f'"Generative metrics"), so no FID is set against {by} ({fid_base});'
    )
    said.append(
        f"Inception Score {float(r['is_imagenet']):.3f} with torchvision's ImageNet Inception v3, as {year.name} "
        f"computed it (baselines {is_base})."
        if imagenet
        else "its Inception Score with torchvision's ImageNet Inception v3 is not computed (no local "
        f"imagenet_inception_weights configured), so no IS is set against {by} ({is_base})."
    )
    if not fid:
        said.append(
            f"In place of the FID its 1000 faces score {float(r['fid_face']):.3f} in dlib's face embeddings "
            "against the faces of the FID split, a stand-in comparable only between the rows of the table above."
        )
    return [Paragraph(" ".join(said))]
