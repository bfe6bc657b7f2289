package org.assemblypay.payments;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One assembly's routing configuration: which provider serves each network, which number prefixes
 * belong to which network, and what aggregators call each network.
 *
 * @param providerByNetwork provider name per network; a network without one cannot be paid from
 * @param prefixes local number prefixes ("024") to networks; the longest matching prefix wins
 * @param aggregatorNames aggregator network names and codes ("MTN", "vodafone", "62002") to
 *     networks; keys are compared after {@link #normalise}
 */
public record RoutingTable(
    Map<Network, String> providerByNetwork,
    Map<String, Network> prefixes,
    Map<String, Network> aggregatorNames) {

  /**
   * Ghana's prefix table (DOMAIN.md): MTN 024 025 053 054 055 059; Telecel 020 050; AT 026 027 056
   * 057.
   */
  public static final Map<String, Network> GHANA_PREFIXES =
      Map.ofEntries(
          Map.entry("024", Network.MTN),
          Map.entry("025", Network.MTN),
          Map.entry("053", Network.MTN),
          Map.entry("054", Network.MTN),
          Map.entry("055", Network.MTN),
          Map.entry("059", Network.MTN),
          Map.entry("020", Network.TELECEL),
          Map.entry("050", Network.TELECEL),
          Map.entry("026", Network.AIRTELTIGO),
          Map.entry("027", Network.AIRTELTIGO),
          Map.entry("056", Network.AIRTELTIGO),
          Map.entry("057", Network.AIRTELTIGO));

  /**
   * Names the Ghanaian aggregators use: Africa's Talking sends MCC-MNC network codes (620 01 MTN,
   * 620 02 Vodafone/Telecel, 620 03 AirtelTigo, 620 06 Airtel, merged into AirtelTigo); Hubtel,
   * Nalo and Arkesel send names ("mtn", "vodafone", "tigo", "airtel", "AIRTELTIGO").
   */
  public static final Map<String, Network> GHANA_AGGREGATOR_NAMES = ghanaAggregatorNames();

  /** Normalises the maps (copies; prefixes digits only; names via {@link #normalise}). */
  public RoutingTable {
    providerByNetwork = Map.copyOf(providerByNetwork);
    prefixes = Map.copyOf(prefixes);
    Map<String, Network> names = new HashMap<>();
    aggregatorNames.forEach((name, network) -> names.put(normalise(name), network));
    aggregatorNames = Map.copyOf(names);
    for (String prefix : prefixes.keySet()) {
      if (!prefix.matches("0[0-9]{1,9}")) {
        throw new IllegalArgumentException("prefix must be a local prefix like 024: " + prefix);
      }
    }
  }

  /** Ghana's default prefixes and aggregator names, with the given providers. */
  public static RoutingTable ghana(Map<Network, String> providerByNetwork) {
    return new RoutingTable(providerByNetwork, GHANA_PREFIXES, GHANA_AGGREGATOR_NAMES);
  }

  /** Uppercase letters and digits only: "620-02" → "62002", "Airtel Tigo" → "AIRTELTIGO". */
  public static String normalise(String name) {
    return Objects.requireNonNull(name, "name")
        .toUpperCase(Locale.ROOT)
        .replaceAll("[^A-Z0-9]", "");
  }

  /** The network an aggregator's name or code stands for, if known. */
  public Optional<Network> networkNamed(String aggregatorNetwork) {
    if (aggregatorNetwork == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(aggregatorNames.get(normalise(aggregatorNetwork)));
  }

  /** The network a number's prefix belongs to (longest matching prefix), if any. */
  public Optional<Network> networkByPrefix(Msisdn payer) {
    String local = payer.local();
    for (int length = Math.min(local.length(), 10); length >= 2; length--) {
      Network network = prefixes.get(local.substring(0, length));
      if (network != null) {
        return Optional.of(network);
      }
    }
    return Optional.empty();
  }

  private static Map<String, Network> ghanaAggregatorNames() {
    Map<String, Network> names = new HashMap<>();
    for (String name : List.of("MTN", "MTN-GH", "MTN Ghana", "62001", "620-01", "MTN MoMo")) {
      names.put(normalise(name), Network.MTN);
    }
    for (String name :
        List.of(
            "Telecel",
            "Telecel-GH",
            "Telecel Ghana",
            "Vodafone",
            "Vodafone-GH",
            "Vodafone Ghana",
            "Voda",
            "62002",
            "620-02")) {
      names.put(normalise(name), Network.TELECEL);
    }
    for (String name :
        List.of(
            "AirtelTigo",
            "Airtel-Tigo",
            "AirtelTigo-GH",
            "Airtel",
            "Airtel-GH",
            "Tigo",
            "Tigo-GH",
            "AT",
            "AT Money",
            "62003",
            "620-03",
            "62006",
            "620-06")) {
      names.put(normalise(name), Network.AIRTELTIGO);
    }
    return Map.copyOf(names);
  }
}
