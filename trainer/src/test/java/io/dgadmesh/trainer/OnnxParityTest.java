package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.ModelProto;
import io.dgadmesh.model.CharEncoder;
import io.dgadmesh.model.CharLm;
import io.dgadmesh.model.CharStats;
import io.dgadmesh.model.SuffixList;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.InputUnit;
import io.dgadmesh.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported ONNX graph computes what the DJL network computes. The network is first trained
 * briefly on built-in synthetic names (no external data), so its weights are not just the
 * initial ones, then both runtimes score a few hundred names.
 */
class OnnxParityTest {

  static final String[] WORDS = {"mail", "shop", "news", "cloud", "bank", "travel", "photo", "music",
      "green", "city", "home", "best", "world", "smart", "data", "health", "game", "food", "blue", "star"};
  static final String[] TLDS = {"com", "net", "org", "co.uk", "de", "info"};

  static List<String> names = new ArrayList<>();
  static List<DomainDataset.Row> rows = new ArrayList<>();

  @TempDir static Path dir;
  static ModelTrainer trainer;
  static Path onnx;
  static ModelSpec spec;

  @BeforeAll
  static void trainAndExport() throws Exception {
    Random rnd = new Random(42);
    for (int i = 0; i < 400; i++) {
      String benign = WORDS[rnd.nextInt(WORDS.length)] + WORDS[rnd.nextInt(WORDS.length)] + "." + TLDS[rnd.nextInt(TLDS.length)];
      String sub = i % 5 == 0 ? "www." : "";
      rows.add(new DomainDataset.Row(sub + benign, false, null, "alexa2016", false, "train", benign.split("\\.")[0]));
      StringBuilder r = new StringBuilder();
      int len = 6 + rnd.nextInt(18);
      for (int k = 0; k < len; k++) {
        r.append((char) ('a' + rnd.nextInt(26)));
      }
      String fam = i % 2 == 0 ? "alpha" : "beta";
      if (fam.equals("beta")) {
        r.append(rnd.nextInt(100));
      }
      String dga = r + "." + TLDS[rnd.nextInt(TLDS.length)];
      rows.add(new DomainDataset.Row(dga, true, fam, "generated", false, "train", r.toString()));
      names.add(sub + benign);
      names.add(dga);
    }
    names.add("x.duckdns.org");
    names.add("d3c33hcgiwev3.cloudfront.net");
    names.add("a-very-long-label-that-keeps-going-and-going-past-the-usual-size-of-names.example.co.uk");

    TrainingOptions o = tinyNetwork(3, 16);
    o.averageLast = 2; // the graph exported below holds the mean weights, so parity covers them
    o.ngram = 4;
    o.buckets = 509;
    o.ngramDim = 8;
    spec = new ModelSpec("test", ModelSpec.DEFAULT_VOCABULARY, o.maxLen, o.tailPad(), InputUnit.REGISTRABLE_DOMAIN,
        List.of("alpha", "beta"), 0.5f, "none", Map.of("dgad.train.note", "parity test",
            ModelSpec.KEY_PSL_HASH, SuffixList.bundled().sha256()));
    // "beta" plays a word-list family: its LM feeds word_lm_gain; with the length bins, the parity
    // covers all the features. 24 bins: the synthetic labels run from 6 to 25 characters, so the last
    // bin is shared. (With 8, three epochs left this tiny network's scores within 0.48..0.55, under
    // the spread the parity check asks of trained weights.)
    features = new TrainingFeatures(TrainCommand.benignLabels(rows, spec, SuffixList.bundled()),
        TrainCommand.wordFamilyLabels(rows, List.of("beta"), spec, SuffixList.bundled()), 24);
    trainer = new ModelTrainer(o, spec, SuffixList.bundled(), features);
    TrainingExamples examples = new TrainingExamples(rows, spec.families(), o, SuffixList.bundled(), NO_WORDS);
    ModelTrainer.LabelledUnits val = TrainCommand.labelled(rows.subList(0, 100), spec.families(), o, SuffixList.bundled());
    List<ModelTrainer.EpochReport> reports = trainer.train(examples, val, r -> { });
    assertEquals(4, reports.size(), "three epochs, then the mean of the last two");
    assertTrue(reports.get(2).loss() < reports.get(0).loss(), "training lowers the loss");
    assertEquals(2, reports.get(3).averaged());
    onnx = dir.resolve("m.onnx");
    spec = spec.withExtra(TrainCommand.featureMetadata(features));
    OnnxExporter.export(trainer.network(), spec, onnx);
  }

  static final WordDgas NO_WORDS = WordDgas.none();
  static TrainingFeatures features;

  /** A network small enough to train in seconds on the synthetic rows. */
  private static TrainingOptions tinyNetwork(int epochs, int width) {
    TrainingOptions o = new TrainingOptions();
    o.epochs = epochs;
    o.capPerFamily = 400;
    o.batchSize = 64;
    o.embedding = 8;
    o.filters = width;
    o.hidden = width;
    return o;
  }

  @Test
  void onnxRuntimeAgreesWithDjlWithin1e4() {
    CharEncoder enc = new CharEncoder(spec);
    List<String> units = names.stream().map(enc::unitOf).toList();
    ModelTrainer.Scores djl = trainer.score(units);
    try (DgaModel m = DgaModel.load(onnx, 1)) {
      float[] ort = m.run(m.encoder().encodeUnits(units)).scores();
      double max = 0;
      float lo = 1;
      float hi = 0;
      for (int i = 0; i < units.size(); i++) {
        max = Math.max(max, Math.abs(ort[i] - djl.score()[i]));
        lo = Math.min(lo, ort[i]);
        hi = Math.max(hi, ort[i]);
      }
      assertTrue(units.size() >= 300);
      assertTrue(max < 1e-4, "max |ONNX - DJL| = " + max);
      assertTrue(hi - lo > 0.1f, "scores spread (trained weights): " + lo + ".." + hi);
    }
  }

  /** An even widest kernel: the tap tables are pairs only, with no single last tap. */
  @Test
  void evenWidestKernelAgreesWithDjl() throws Exception {
    TrainingOptions o = tinyNetwork(1, 8);
    o.widths = new int[] {2, 4};
    ModelSpec even = new ModelSpec("test", ModelSpec.DEFAULT_VOCABULARY, o.maxLen, o.tailPad(), InputUnit.REGISTRABLE_DOMAIN,
        List.of("alpha", "beta"), 0.5f, "none", Map.of());
    ModelTrainer t = new ModelTrainer(o, even, SuffixList.bundled(), null); // characters only: no second input
    t.train(new TrainingExamples(rows, even.families(), o, SuffixList.bundled(), NO_WORDS),
        TrainCommand.labelled(rows.subList(0, 100), even.families(), o, SuffixList.bundled()), r -> { });
    Path file = dir.resolve("even.onnx");
    OnnxExporter.export(t.network(), even, file);
    CharEncoder enc = new CharEncoder(even);
    List<String> units = names.stream().map(enc::unitOf).toList();
    float[] djl = t.score(units).score();
    try (DgaModel m = DgaModel.load(file, 1)) {
      float[] ort = m.run(m.encoder().encodeUnits(units)).scores();
      for (int i = 0; i < units.size(); i++) {
        assertEquals(djl[i], ort[i], 1e-4, units.get(i));
      }
    }
  }

  /** The node computes the second input exactly as the trainer did, from the tables in the file. */
  @Test
  void characterStatisticsAreTheSameInTrainerAndService() {
    List<String> units = names.stream().map(trainer.encoder()::unitOf).toList();
    float[] trained = trainer.encoder().encodeUnits(units).stats();
    try (DgaModel m = DgaModel.load(onnx, 1)) {
      assertEquals(units, names.stream().map(m.encoder()::unitOf).toList());
      float[] served = m.encoder().encodeUnits(units).stats();
      assertEquals(units.size() * (CharStats.COUNT + 24), served.length, "the statistics and 24 length bins");
      assertEquals(24, m.encoder().features().lengthBins());
      assertEquals(List.of("beta"), m.encoder().features().wordFamilies());
      assertArrayEquals(trained, served);
    }
  }

  /** Swapped LM tables (the hash kept) and another suffix list are refused at load, with the reason. */
  @Test
  void aModelWithOtherTablesOrAnotherSuffixListIsRefused() throws Exception {
    ModelProto model = ModelProto.parseFrom(Files.readAllBytes(onnx));
    CharLm.Counts other = new CharLm.Counts();
    other.add("somethingelse");
    ModelProto.Builder swapped = model.toBuilder().clearMetadataProps();
    for (OnnxMl.StringStringEntryProto p : model.getMetadataPropsList()) {
      swapped.addMetadataProps(p.getKey().equals(ModelSpec.KEY_CHAR_LM)
          ? p.toBuilder().setValue(other.table().encode()).build() : p);
    }
    IllegalStateException tables = assertThrows(IllegalStateException.class,
        () -> DgaModel.load(swapped.build().toByteArray(), 1));
    assertTrue(tables.getMessage().contains("not the ones it was trained with"), tables.getMessage());

    ModelProto.Builder swappedWords = model.toBuilder().clearMetadataProps();
    for (OnnxMl.StringStringEntryProto p : model.getMetadataPropsList()) {
      swappedWords.addMetadataProps(p.getKey().equals(ModelSpec.KEY_WORD_LM + "beta")
          ? p.toBuilder().setValue(other.table().encode()).build() : p);
    }
    IllegalStateException words = assertThrows(IllegalStateException.class,
        () -> DgaModel.load(swappedWords.build().toByteArray(), 1));
    assertTrue(words.getMessage().contains("not the ones it was trained with"), words.getMessage());

    IllegalStateException list = assertThrows(IllegalStateException.class,
        () -> DgaModel.load(model.toByteArray(), 1, SuffixList.pslOnly(null)));
    assertTrue(list.getMessage().contains("suffix list"), list.getMessage());
  }

  @Test
  void scoresDoNotDependOnBatchPadding() {
    try (DgaModel m = DgaModel.load(onnx, 1)) {
      var together = m.classify(names);
      for (int i = 0; i < names.size(); i += 37) {
        float alone = m.classify(List.of(names.get(i))).get(0).score();
        assertEquals(together.get(i).score(), alone, 1e-5, names.get(i));
      }
    }
  }

  @Test
  void metadataRoundTrips() throws Exception {
    try (DgaModel m = DgaModel.load(onnx, 1)) {
      assertEquals(spec.families(), m.spec().families());
      assertEquals(spec.vocabulary(), m.spec().vocabulary());
      assertEquals(spec.maxLen(), m.spec().maxLen());
      assertEquals(InputUnit.REGISTRABLE_DOMAIN, m.spec().inputUnit());
      assertEquals("parity test", m.spec().extra().get("dgad.train.note"));
      assertTrue(Files.size(onnx) < 2_000_000);
    }
  }

  @Test
  void reexportKeepsWeightsAndScores() throws Exception {
    byte[] exported = Files.readAllBytes(onnx);
    byte[] again = OnnxExporter.reexport(exported);
    // The current graph read back and written again is the same file, n-gram branch included.
    assertArrayEquals(exported, again);
    Path copy = dir.resolve("reexported.onnx");
    Files.write(copy, again);
    try (DgaModel a = DgaModel.load(onnx, 1); DgaModel b = DgaModel.load(copy, 1)) {
      var before = a.classify(names);
      var after = b.classify(names);
      for (int i = 0; i < names.size(); i++) {
        assertEquals(before.get(i).score(), after.get(i).score(), 0f, names.get(i));
      }
    }
  }

  @Test
  void reexportRefusesAFileItDidNotWrite() {
    byte[] notOurs = ai.onnx.proto.OnnxMl.ModelProto.newBuilder()
        .setGraph(ai.onnx.proto.OnnxMl.GraphProto.newBuilder().setName("other")).build().toByteArray();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.reexport(notOurs));
    assertTrue(e.getMessage().contains("embedding"), e.getMessage());
  }
}
