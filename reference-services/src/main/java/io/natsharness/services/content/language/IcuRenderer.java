package io.natsharness.services.content.language;

import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.content.language.IcuMessage.Argument;
import io.natsharness.services.content.language.IcuMessage.Node;
import io.natsharness.services.content.language.IcuMessage.NumberArgument;
import io.natsharness.services.content.language.IcuMessage.Plural;
import io.natsharness.services.content.language.IcuMessage.Pound;
import io.natsharness.services.content.language.IcuMessage.Select;
import io.natsharness.services.content.language.IcuMessage.Text;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders an {@link IcuMessage} with string parameters. Plural categories come from
 * {@link PluralRules} of the language; numbers are formatted with the JDK's
 * {@link NumberFormat} of that language, keeping the fraction digits the caller wrote ("1.50"
 * stays "1.50", "1,50" in German). Only the parameters on the path taken are required.
 *
 * <pre>{@code
 * String text = new IcuRenderer("en", "inventory.items", Map.of("count", "3")).render(message);
 * }</pre>
 */
final class IcuRenderer {

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,30}(\\.[0-9]{1,30})?");

  private final String language;
  private final String key;
  private final Map<String, String> params;

  IcuRenderer(String language, String key, Map<String, String> params) {
    this.language = language;
    this.key = key;
    this.params = params;
  }

  String render(IcuMessage message) {
    StringBuilder out = new StringBuilder();
    render(message.nodes(), null, out);
    return out.toString();
  }

  private void render(List<Node> nodes, BigDecimal pound, StringBuilder out) {
    for (Node node : nodes) {
      // Java 17 has no pattern matching in switch (preview only), hence the instanceof chain.
      if (node instanceof Text t) {
        out.append(t.text());
      } else if (node instanceof Argument a) {
        out.append(param(a.name()));
      } else if (node instanceof NumberArgument n) {
        out.append(format(number(n.name())));
      } else if (node instanceof Pound) {
        out.append(pound == null ? "#" : format(pound));
      } else if (node instanceof Select s) {
        String value = param(s.name());
        render(s.cases().getOrDefault(value, s.cases().get("other")), pound, out);
      } else if (node instanceof Plural pl) {
        BigDecimal value = number(pl.name());
        BigDecimal shown = value.subtract(BigDecimal.valueOf(pl.offset()));
        List<Node> chosen = explicit(pl, value);
        if (chosen == null) {
          String category = PluralRules.category(language, shown);
          chosen = pl.cases().getOrDefault(category, pl.cases().get("other"));
        }
        render(chosen, shown, out);
      }
    }
  }

  private static List<Node> explicit(Plural plural, BigDecimal value) {
    for (Map.Entry<String, List<Node>> e : plural.cases().entrySet()) {
      if (e.getKey().startsWith("=")) {
        try {
          if (new BigDecimal(e.getKey().substring(1)).compareTo(value) == 0) {
            return e.getValue();
          }
        } catch (NumberFormatException ignored) {
          // Not a number: ICU would refuse the pattern; here the case simply never matches.
        }
      }
    }
    return null;
  }

  private String param(String name) {
    String value = params.get(name);
    if (value == null) {
      throw RpcException.invalidArgument("params[" + name + "]",
          "message '" + key + "' uses parameter '" + name + "', which params lacks");
    }
    return value;
  }

  private BigDecimal number(String name) {
    String value = param(name);
    if (!DECIMAL.matcher(value).matches()) {
      throw RpcException.invalidArgument("params[" + name + "]",
          "must be a decimal number such as \"3\" or \"1.5\", got \"" + value + "\"");
    }
    return new BigDecimal(value);
  }

  private String format(BigDecimal number) {
    NumberFormat format = NumberFormat.getNumberInstance(Locale.forLanguageTag(language));
    int digits = Math.max(0, number.scale());
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits);
    if (format instanceof DecimalFormat decimal) {
      decimal.setParseBigDecimal(true);
    }
    return format.format(number);
  }
}
