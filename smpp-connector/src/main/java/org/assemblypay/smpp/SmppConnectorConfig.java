package org.assemblypay.smpp;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything the connector needs: the SMSC connections, the routes between them, and limits.
 *
 * @param connections the configured connections (names unique)
 * @param routes routing rules; a message no rule matches goes to the first connection
 * @param dispatcher outbound limits and policies
 * @param inbound inbound limits
 */
public record SmppConnectorConfig(
    List<SmscConnectionConfig> connections,
    List<Route> routes,
    DispatcherSettings dispatcher,
    InboundSettings inbound) {

  /** Checks that names are unique and routes name known connections. */
  public SmppConnectorConfig {
    connections = List.copyOf(connections);
    routes = List.copyOf(routes);
    Objects.requireNonNull(dispatcher, "dispatcher");
    Objects.requireNonNull(inbound, "inbound");
    if (connections.isEmpty()) {
      throw new IllegalArgumentException("at least one SMSC connection is needed");
    }
    var names = new HashSet<String>();
    for (SmscConnectionConfig connection : connections) {
      if (!names.add(connection.name())) {
        throw new IllegalArgumentException("duplicate connection name " + connection.name());
      }
    }
    for (Route route : routes) {
      for (String name : route.connectionNames()) {
        if (!names.contains(name)) {
          throw new IllegalArgumentException("route names unknown connection " + name);
        }
      }
    }
  }

  /** One or more connections, no routes (everything to the first up connection), default limits. */
  public static SmppConnectorConfig of(SmscConnectionConfig... connections) {
    return new SmppConnectorConfig(
        List.of(connections), List.of(), DispatcherSettings.defaults(), InboundSettings.defaults());
  }

  /** A copy with other dispatcher settings. */
  public SmppConnectorConfig withDispatcher(DispatcherSettings settings) {
    return new SmppConnectorConfig(connections, routes, settings, inbound);
  }

  /** A copy with other inbound settings. */
  public SmppConnectorConfig withInbound(InboundSettings settings) {
    return new SmppConnectorConfig(connections, routes, dispatcher, settings);
  }

  /** A copy with routes. */
  public SmppConnectorConfig withRoutes(List<Route> newRoutes) {
    return new SmppConnectorConfig(connections, newRoutes, dispatcher, inbound);
  }
}
