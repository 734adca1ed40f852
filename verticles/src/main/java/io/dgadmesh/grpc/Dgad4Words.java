package io.dgadmesh.grpc;

import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.model.InputUnit;
import io.dgadmesh.model.SuffixList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The words dgad 4.x answers for one name, and the names the classifiers score for them.
 *
 * <p>dgad 4.x (dgad/schema.py, {@code Domain.__post_init__}) drops a leading {@code www.}, splits
 * the rest with tldextract and makes one word of the registrable label, then one of each distinct
 * subdomain label; each word is scored on its own. Here the registrable label is the one the model
 * reads (Public Suffix List with its private section, the node's {@link SuffixList}), so the first word's
 * result is the name's own result, exactly as the other doors give it: the name is sent as it came.
 * A subdomain label is sent as {@code label.suffix}, the unit the model was trained on (registrable
 * domains), with the name's own public suffix: {@code a.b.example.co.uk} is scored as
 * {@code example.co.uk} (the name), {@code a.co.uk} and {@code b.co.uk}. Subdomain labels come in
 * the order they stand in the name (dgad's come in Python's set order, which changes from process
 * to process).
 *
 * <p>Bounded: a name has at most 253 characters, so at most 127 labels, and at most
 * {@code maxWords} words are kept (grpc.maxBatchNames; the default, 10,000, is never reached).
 *
 * @param values the words, as dgad's {@code Word.value}: the labels alone, registrable label first
 * @param names  what the classifiers score for each word, in the same order; for a name the
 *               classifiers will refuse, the name alone (and no values), so it is refused as before
 */
record Dgad4Words(List<String> values, List<String> names) {

  private static final String WWW = "www";

  /** {@code suffixes}: the list the model reads (classifier.pslPath), so the first word is the model's label. */
  static Dgad4Words of(String fqdn, int maxWords, SuffixList suffixes) {
    HostnameNormalizer.Result norm = HostnameNormalizer.normalize(fqdn);
    if (!norm.ok()) {
      return new Dgad4Words(List.of(), List.of(fqdn));
    }
    String host = norm.host();
    InputUnit.Parts parts = suffixes.split(host);
    String suffix = parts.suffix();
    String registrable = suffix.isEmpty() ? parts.label() : parts.label() + "." + suffix;
    List<String> values = new ArrayList<>();
    List<String> names = new ArrayList<>();
    values.add(parts.label());
    names.add(fqdn);
    for (String label : subdomainLabels(host, registrable)) {
      if (values.size() >= maxWords) {
        break;
      }
      values.add(label);
      names.add(suffix.isEmpty() ? label : label + "." + suffix);
    }
    return new Dgad4Words(values, names);
  }

  /** The distinct labels left of the registrable domain, in order, without a leading www. */
  private static Set<String> subdomainLabels(String host, String registrable) {
    Set<String> labels = new LinkedHashSet<>();
    if (host.length() <= registrable.length() + 1 || !host.endsWith("." + registrable)) {
      return labels;
    }
    String[] subdomains = host.substring(0, host.length() - registrable.length() - 1).split("\\.");
    // dgad drops "www." at the start of the name only: a www further in is a word like any other.
    for (int i = subdomains[0].equals(WWW) ? 1 : 0; i < subdomains.length; i++) {
      labels.add(subdomains[i]);
    }
    return labels;
  }
}
