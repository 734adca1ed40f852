package io.dgadmesh.model;

/**
 * The network's verdict on one name. {@code family} is named only when {@code dga};
 * {@code familyIndex} is the family head's argmax whatever the verdict.
 */
public record Prediction(float score, boolean dga, String family, float familyScore, int familyIndex) {}
