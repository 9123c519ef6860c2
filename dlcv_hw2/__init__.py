"""The library behind the NTU DLCV HW2 pipeline of 2023, 2022 and 2021, grouped by concern; a group imports
only from itself and from the groups before it (tests/test_layout.py):

* ``core`` -- one-line errors, atomic files and safe checkpoint loading, device and seeds;
* ``data`` -- image files, the digit domains and their caches, the face images, the scenarios, the demo data;
* ``models`` -- the networks only;
* ``methods`` -- training, loading and sampling of each method, the shared training pieces and GAN loop,
  and one registry per family (FACE_GANS, DIGIT_GENERATORS, UDA_METHODS);
* ``metrics`` -- generative metrics (FID, IS, KID), the face-detection rate, digit accuracy;
* ``report`` -- the homework reports: typed blocks, their content, the HTML and PDF renderers, figures;
* ``handin`` -- the grading scripts of each year and the checks of a hand-in.

``settings`` (with ``config.schema.yaml``) defines every setting once; the scripts and the workflow hand
the library typed settings objects, so no group imports it. ``course`` holds each HW2 year once (its
problems, scenarios, grading scripts, baselines, report questions): standard library only, below every
group, so any of them, the workflow and the grading path read it.
"""
