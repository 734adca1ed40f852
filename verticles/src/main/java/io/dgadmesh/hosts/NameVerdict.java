package io.dgadmesh.hosts;

import io.dgadmesh.model.Prediction;

/**
 * What is known of one queried name before any host is considered: its normalised form, its
 * registrable domain, its {@link NameScope}, and, for {@link NameScope#PUBLIC} names, the model's
 * verdict. One verdict per distinct name: the offline aggregator and the live path cache them.
 *
 * @param query the name as logged
 * @param name the normalised host name, or null when the normaliser refused it (see {@code error})
 * @param registrableDomain the registrable domain under the Public Suffix List (ICANN and private
 *     sections: {@code x.duckdns.org}, {@code google.co.uk}), or null when there is none
 * @param sharedSuffixOwner for a name under a private-section public suffix (a CDN or hosting
 *     provider's: {@code d1a2.cloudfront.net}), the provider's own domain ({@code cloudfront.net});
 *     null otherwise
 * @param scope the kind of name; only {@link NameScope#PUBLIC} names are judged by the model
 * @param score the model's DGA score, or NaN when the name was not judged
 * @param family the model's family when it calls the name DGA, else null
 * @param dga the model's verdict at its threshold (false for names not judged or allowlisted)
 * @param error why the normaliser refused the name, else null
 * @param nameHash {@link DistinctCounter#hash} of {@link #shownName()}; computed here, whatever is
 *     passed, once per distinct name, so that counting a record's name costs no hashing
 * @param unitHash {@link DistinctCounter#hash} of {@code registrableDomain} (0 when there is none);
 *     computed here, whatever is passed
 */
public record NameVerdict(String query, String name, String registrableDomain, String sharedSuffixOwner,
    NameScope scope, float score, String family, boolean dga, String error, long nameHash, long unitHash) {

  public NameVerdict {
    query = query == null ? "" : query;
    nameHash = DistinctCounter.hash(name != null ? name : query);
    unitHash = registrableDomain == null ? 0 : DistinctCounter.hash(registrableDomain);
    if (scope == null) {
      throw new IllegalArgumentException("a verdict needs a scope");
    }
    if (scope == NameScope.REFUSED && error == null) {
      throw new IllegalArgumentException("a refused name needs its reason");
    }
    if (!dga) {
      family = null;
    }
  }

  /** A name the model judged. */
  public static NameVerdict judged(NameRules.Parsed parsed, Prediction p) {
    return new NameVerdict(parsed.query(), parsed.name(), parsed.registrableDomain(), parsed.sharedSuffixOwner(),
        NameScope.PUBLIC, p.score(), p.family(), p.dga(), null, 0, 0);
  }

  /** A name the model need not judge: its scope carries no evidence (or the normaliser refused it). */
  public static NameVerdict unjudged(NameRules.Parsed parsed) {
    return new NameVerdict(parsed.query(), parsed.name(), parsed.registrableDomain(), parsed.sharedSuffixOwner(),
        parsed.scope(), Float.NaN, null, false, parsed.error(), 0, 0);
  }

  public boolean ok() {
    return error == null;
  }

  public boolean allowlisted() {
    return scope == NameScope.ALLOWLISTED;
  }

  public boolean judgedByModel() {
    return !Float.isNaN(score);
  }

  /** The name as reports show it: normalised when possible, else as logged. */
  public String shownName() {
    return name != null ? name : query;
  }
}
