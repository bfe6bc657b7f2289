package org.assemblypay.ussd.dialect;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The dialects known by name; adding one is adding it here (or passing it to {@link #of}). */
public final class Dialects {

  private final Map<String, Dialect> byName;

  private Dialects(Map<String, Dialect> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** Africa's Talking, Hubtel, Nalo and Arkesel. */
  public static Dialects standard() {
    return of(
        List.of(
            new AfricasTalkingDialect(),
            new HubtelDialect(),
            new NaloDialect(),
            new ArkeselDialect()));
  }

  /** These dialects. */
  public static Dialects of(List<Dialect> dialects) {
    return new Dialects(
        dialects.stream().collect(Collectors.toMap(Dialect::name, Function.identity())));
  }

  /** The dialect with this name. */
  public Optional<Dialect> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
