#!/usr/bin/env python3
"""Accuracy of a digit classifier, per digit and overall: the course's Classifier.pth (default) or
the project's own evaluation classifier (--kind project, written by train_dann.py).

    evaluate_digits.py --folder OUT_DIR --classifier Classifier.pth --out acc.csv   # D_NNN.png images
    evaluate_digits.py --cache results/cache/mnistm/val.pt --classifier ... --out acc.csv

With --folder the label of each image is the first character of its name, as in the course's
digit_classifier.py; every file of the folder must be such an image. Runs on CPU or GPU.
"""

from dlcv_hw2 import settings
from dlcv_hw2.core.cli import cli_main, number, script_parser
from dlcv_hw2.core.files import atomic_path, check_outputs
from dlcv_hw2.core.runtime import pick_device
from dlcv_hw2.data.digits import load_cache
from dlcv_hw2.metrics.digits import accuracy_table, load_official_classifier, predict_folder, predict_uint8


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--folder", help="folder of D_NNN.png images")
    src.add_argument("--cache", help="tensor cache of a labelled split")
    ap.add_argument("--classifier", required=True, help="path of Classifier.pth (or of a project classifier)")
    ap.add_argument("--kind", choices=["official", "project"], default="official")
    ap.add_argument("--out", help="CSV to write (digit, n, correct, accuracy)")
    settings.add_top_level(ap, "device")
    ap.add_argument("--batch-size", type=number(int, low=1), default=500)
    args = ap.parse_args(argv)
    check_outputs(args.out)
    device = pick_device(args.device)
    if args.kind == "official":
        model = load_official_classifier(args.classifier, device)
    else:
        from dlcv_hw2.methods.uda import load_model

        model = load_model(args.classifier, device).classify_module()
    if args.folder:
        _, labels, preds = predict_folder(model, args.folder, device, args.batch_size)
    else:
        split = load_cache(args.cache)
        labels, preds = split.labels, predict_uint8(model, split.images, device, args.batch_size)
    table = accuracy_table(preds, labels)
    if args.out:
        with atomic_path(args.out) as tmp:
            table.to_csv(tmp, index=False, lineterminator="\n")
    print(table.to_string(index=False))
    print(f"accuracy: {table.iloc[-1]['accuracy']:.2f}% ({int(table.iloc[-1]['correct'])}/{int(table.iloc[-1]['n'])})")


if __name__ == "__main__":
    main()
