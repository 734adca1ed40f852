package io.dgadmesh.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Model files for reload tests: the shipped model, and valid variants of it with one
 * {@code metadata_props} entry changed, re-serialised with protobuf's generic reader (no ONNX
 * classes needed): the same network under another declared version, so another file and another
 * version. ONNX's ModelProto keeps metadata_props in field 14, each a StringStringEntryProto
 * (key = 1, value = 2).
 */
public final class ModelFiles {
  private ModelFiles() {}

  private static final int METADATA_PROPS = 14;

  public static byte[] shipped() {
    return DgaModel.defaultBytes();
  }

  /** {@code onnx} with metadata entry {@code key} set to {@code value}, or removed when {@code value} is null. */
  public static byte[] withMetadata(byte[] onnx, String key, String value) {
    try {
      UnknownFieldSet model = UnknownFieldSet.parseFrom(onnx);
      UnknownFieldSet.Field.Builder props = UnknownFieldSet.Field.newBuilder();
      for (ByteString entry : model.getField(METADATA_PROPS).getLengthDelimitedList()) {
        String k = UnknownFieldSet.parseFrom(entry).getField(1).getLengthDelimitedList().get(0).toStringUtf8();
        if (!k.equals(key)) {
          props.addLengthDelimited(entry);
        }
      }
      if (value != null) {
        props.addLengthDelimited(UnknownFieldSet.newBuilder()
            .addField(1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(key)).build())
            .addField(2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(value)).build())
            .build().toByteString());
      }
      // addField replaces the field of that number.
      return model.toBuilder().addField(METADATA_PROPS, props.build()).build().toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a protobuf message", e);
    }
  }

  /** The shipped network declaring another version. */
  public static byte[] declaring(String version) {
    return withMetadata(shipped(), "dgad.model_version", version);
  }

  /** The version a node reports for {@code onnx}: the declared one and the content hash. */
  public static String versionOf(byte[] onnx, String declared) {
    return ModelVersion.of(declared, onnx).id();
  }

  /** Replaces {@code target} in one step, as an operator's {@code mv} does: a reader never sees half a file. */
  public static void install(Path target, byte[] onnx) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), "model", ".tmp");
    Files.write(tmp, onnx);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
