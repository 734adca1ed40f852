package io.dgadmesh.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Character CNN with two heads. Input: int64 ids [batch, len] (BOS, chars, EOS, PAD...), with at
 * least {@code maxWidth-1} PADs after EOS. Each convolution window that starts on a real token
 * is kept, the rest masked to zero before the max pool; as ReLU outputs are >= 0 the pool then
 * ignores padding exactly, so the ONNX graph can pad each batch only to its longest name.
 * A second input, float [batch, S], carries the character statistics ({@link io.dgadmesh.model.CharStats}),
 * joined to the pooled features before the dense layer, so they are learned with the convolutions.
 * Outputs: binary logit [batch] and family logits [batch, K].
 */
public final class DgaNetwork extends AbstractBlock {

  private final NetworkShape shape;
  private final Parameter embedding;
  private final List<Conv1d> convs = new ArrayList<>();
  private final Linear hidden;
  private final Linear binaryHead;
  private final Linear familyHead;
  private final Dropout dropout;
  private final Parameter ngramTable;

  public DgaNetwork(NetworkShape shape, float dropoutRate) {
    this.shape = shape;
    this.embedding = addParameter(Parameter.builder().setName("embedding")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(shape.vocab(), shape.embedding())).build());
    for (int w : shape.widths()) {
      convs.add(addChildBlock("conv" + w,
          Conv1d.builder().setKernelShape(new Shape(w)).setFilters(shape.filters()).build()));
    }
    // Zero start: an n-gram never seen in training adds nothing, instead of random noise.
    ngramTable = shape.hasNgrams() ? addParameter(Parameter.builder().setName("ngrams")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(shape.buckets(), shape.ngramDim()))
        .optInitializer(Initializer.ZEROS).build()) : null;
    hidden = addChildBlock("hidden", Linear.builder().setUnits(shape.hidden()).build());
    binaryHead = addChildBlock("binary", Linear.builder().setUnits(1).build());
    familyHead = addChildBlock("family", Linear.builder().setUnits(shape.families()).build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
  }

  public NetworkShape shape() {
    return shape;
  }

  public Parameter embeddingParameter() {
    return embedding;
  }

  public Parameter ngramParameter() {
    return ngramTable;
  }

  /**
   * Bucket of the character n-gram starting at each position: sum of ids times vocab powers,
   * modulo the bucket count. Windows that start on a real token see only real tokens and PAD
   * (the encoder pads at least n-1), so the bag is independent of the batch width.
   */
  public static NDArray ngramBuckets(NDArray ids, int n, long vocab, long buckets) {
    long len = ids.getShape().get(1);
    long span = len - n + 1;
    NDArray h = ids.get(":, 0:" + span);
    for (int k = 1; k < n; k++) {
      h = h.mul(vocab).add(ids.get(":, " + k + ":" + (k + span)));
    }
    return h.mod(buckets);
  }

  public List<Conv1d> convs() {
    return convs;
  }

  public Linear hiddenLayer() {
    return hidden;
  }

  public Linear binaryHead() {
    return binaryHead;
  }

  public Linear familyHead() {
    return familyHead;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.head();
    long len = ids.getShape().get(1);
    NDArray table = ps.getValue(embedding, ids.getDevice(), training);
    NDArray x = Embedding.embedding(ids, table, SparseFormat.DENSE).head().transpose(0, 2, 1);
    NDArray real = ids.neq(0).toType(DataType.FLOAT32, false);
    NDList pooled = new NDList();
    for (int i = 0; i < convs.size(); i++) {
      int w = shape.widths()[i];
      NDArray y = Activation.relu(convs.get(i).forward(ps, new NDList(x), training).head());
      NDArray mask = real.get(":, 0:" + (len - w + 1)).expandDims(1);
      pooled.add(y.mul(mask).max(new int[] {2}));
    }
    if (ngramTable != null) {
      int n = shape.ngram();
      NDArray bucketsIds = ngramBuckets(ids, n, shape.vocab(), shape.buckets());
      NDArray table2 = ps.getValue(ngramTable, ids.getDevice(), training);
      NDArray g = Embedding.embedding(bucketsIds, table2, SparseFormat.DENSE).head();
      NDArray m = real.get(":, 0:" + (len - n + 1)).expandDims(2);
      pooled.add(g.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1})));
    }
    NDArray h = NDArrays.concat(pooled, 1);
    h = dropout.forward(ps, new NDList(h), training).head();
    if (shape.stats() > 0) {
      h = h.concat(inputs.get(1), 1); // the character statistics, undropped: few, and each carries a lot
    }
    h = Activation.relu(hidden.forward(ps, new NDList(h), training).head());
    h = dropout.forward(ps, new NDList(h), training).head();
    NDArray logit = binaryHead.forward(ps, new NDList(h), training).head().reshape(-1);
    NDArray famLogits = familyHead.forward(ps, new NDList(h), training).head();
    return new NDList(logit, famLogits);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    return new Shape[] {new Shape(batch), new Shape(batch, shape.families())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    long len = inputShapes[0].get(1);
    for (Conv1d c : convs) {
      c.initialize(manager, dataType, new Shape(batch, shape.embedding(), len));
    }
    hidden.initialize(manager, dataType, new Shape(batch, shape.denseInputs()));
    dropout.initialize(manager, dataType, new Shape(batch, shape.features()));
    binaryHead.initialize(manager, dataType, new Shape(batch, shape.hidden()));
    familyHead.initialize(manager, dataType, new Shape(batch, shape.hidden()));
  }
}
