package org.assemblypay.ussd;

import java.util.List;
import java.util.Map;
import org.assemblypay.ussd.menu.MenuDefinition;
import org.assemblypay.ussd.menu.MenuOption;
import org.assemblypay.ussd.menu.Screen;

/** Draws a menu as a Mermaid flowchart, for reviews and docs ({@code gateway menus graph}). */
public final class MenuGraph {
  private MenuGraph() {}

  /** The menu as Mermaid text: one node per screen, one edge per way on. */
  public static String mermaid(MenuDefinition menu) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    for (Map.Entry<String, Screen> entry : menu.screens().entrySet()) {
      String id = entry.getKey();
      Screen s = entry.getValue();
      String label = s.action() == null ? id : id + "<br/><i>" + s.action() + "</i>";
      String shape =
          switch (s.kind()) {
            case END -> "([\"" + label + "\"])";
            case ROUTER -> "{{\"" + label + "\"}}";
            default -> "[\"" + label + "\"]";
          };
      out.append("  ").append(node(id)).append(shape).append('\n');
    }
    out.append("  ").append(node(menu.start())).append(":::start\n");
    for (Map.Entry<String, Screen> entry : menu.screens().entrySet()) {
      String from = node(entry.getKey());
      Screen s = entry.getValue();
      List<MenuOption> options = s.options();
      for (int i = 0; i < options.size(); i++) {
        edge(out, from, "|" + (i + 1) + "|", options.get(i).next());
      }
      if (s.input() != null && s.next() != null) {
        edge(out, from, "|" + s.input().var() + "|", s.next());
      }
      if (s.list() != null) {
        edge(out, from, "|item|", s.list().next());
      }
      for (String jump : s.jumps()) {
        out.append("  ").append(from).append(" -.-> ").append(node(jump)).append('\n');
      }
    }
    out.append("  classDef start stroke-width:3px\n");
    return out.toString();
  }

  private static void edge(StringBuilder out, String from, String label, String to) {
    out.append("  ")
        .append(from)
        .append(" -->")
        .append(label)
        .append(' ')
        .append(node(to))
        .append('\n');
  }

  private static String node(String id) {
    return "s_" + id.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
