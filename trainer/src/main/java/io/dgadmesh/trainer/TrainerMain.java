package io.dgadmesh.trainer;

import java.nio.file.Path;

/** {@code bin/dgad-train train|evaluate ...}. */
public final class TrainerMain {

  private TrainerMain() {}

  /** The repository root (set by bin/dgad-train), so outputs land in trainer/ from any directory. */
  static Path root() {
    return Path.of(System.getProperty("dgad.root", "."));
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      usage();
      return;
    }
    String cmd = args[0];
    try {
      switch (cmd) {
        case "train", "shape-bench", "ablate" -> {
          TrainingOptions o = new TrainingOptions();
          for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            o.set(args[i], args[i + 1]);
          }
          if (cmd.equals("train")) {
            TrainCommand.run(o);
          } else if (cmd.equals("ablate")) {
            AblateCommand.run(o, root().resolve("trainer/ablation-input-unit.md"));
          } else {
            ShapeBenchCommand.run(o);
          }
        }
        case "evaluate" -> {
          Path model = null;
          Path data = Path.of("../shared/data");
          Path card = root().resolve("trainer/MODEL_CARD.md");
          boolean reuseSpeed = false;
          for (int i = 1; i < args.length; i += 2) {
            if (args[i].equals("--reuse-speed")) {
              reuseSpeed = true;
              i--;
              continue;
            }
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
              case "--model" -> model = Path.of(args[i + 1]);
              case "--data" -> data = Path.of(args[i + 1]);
              case "--card" -> card = Path.of(args[i + 1]);
              default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
          }
          if (model == null) {
            throw new IllegalArgumentException("evaluate needs --model <onnx>");
          }
          EvaluateCommand.run(model, data, card, reuseSpeed);
        }
        case "reexport" -> {
          Path in = null;
          Path out = null;
          Path data = null;
          for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
              case "--model" -> in = Path.of(args[i + 1]);
              case "--out" -> out = Path.of(args[i + 1]);
              case "--data" -> data = Path.of(args[i + 1]);
              default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
          }
          if (in == null || out == null) {
            throw new IllegalArgumentException("reexport needs --model <onnx> --out <onnx>");
          }
          ReexportCommand.run(in, out, data);
        }
        case "ablate-rows" -> AblateCommand.rows(Path.of(args[1]), root().resolve("trainer/ablation-input-unit.md"),
            java.util.Arrays.copyOfRange(args, 2, args.length));
        case "analyse" -> AnalyseCommand.run(Path.of(args[2]), Path.of(args.length > 4 ? args[4] : "../shared/data"));
        case "bench" -> {
          Path model = Path.of(args[2]);
          Path data = Path.of(args.length > 4 ? args[4] : "../shared/data");
          BenchCommand.print(BenchCommand.run(model,
              BenchCommand.sampleHosts(DomainDataset.load(data), 50_000)));
        }
        default -> {
          System.err.println("unknown command '" + cmd + "'");
          usage();
          System.exit(2);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("dgad-train: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void usage() {
    System.out.println("""
        usage: dgad-train train --data DIR --out DIR [--epochs N] [--input-unit registrable_domain|label|fqdn]
                                [--cap N] [--filters N] [--embedding N] [--hidden N] [--widths 2,3,4,5]
                                [--lr X] [--train-share X] [--augment X] [--threads N] [--budget-minutes N]
               dgad-train evaluate --model FILE.onnx --data DIR [--card trainer/MODEL_CARD.md] [--reuse-speed]
                                   (--reuse-speed: take the speed figures saved by the last measuring run)
               dgad-train reexport --model IN.onnx --out OUT.onnx [--data DIR]
                                   (same weights in the current ONNX graph; compares both files' answers)
        data: a directory with dga.tsv.gz and benign.tsv.gz (see README, "Training data")""");
  }
}
