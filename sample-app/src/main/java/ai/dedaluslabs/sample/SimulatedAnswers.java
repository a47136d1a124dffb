package ai.dedaluslabs.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulated model says: a morose, Joycean answer that takes up the question, split into
 * tokens the way a model streams them. Deterministic, so tests and screenshots are repeatable.
 */
final class SimulatedAnswers {

	private static final Pattern TOKENS = Pattern.compile("\\s*[\\p{L}\\p{N}_']+|\\s*[^\\s\\p{L}\\p{N}_']+");

	private SimulatedAnswers() {
	}

	static boolean asksForWeather(String prompt) {
		String lower = prompt.toLowerCase(Locale.ROOT);
		return lower.contains("weather") || lower.contains("forecast");
	}

	static String cityOf(String prompt) {
		Matcher matcher = Pattern.compile("\\bin ([A-Z][\\p{L}]+)").matcher(prompt);
		return matcher.find() ? matcher.group(1) : "Dublin";
	}

	static String answerWithToolResult(String toolResult) {
		String result = toolResult.strip();
		if (result.startsWith("\"") && result.endsWith("\"") && result.length() > 1) {
			result = result.substring(1, result.length() - 1);
		}
		return "The weather tool answered: " + result + ". Rain on the strand, the sea snotgreen and "
				+ "scrotumtightening; take an umbrella, and it ends here.";
	}

	static String answer(String prompt) {
		String topic = prompt.strip();
		if (topic.length() > 80) {
			topic = topic.substring(0, 77) + "...";
		}
		return "Ineluctable modality of the visible: at least that, if no more, thought through my eyes. You ask me \""
				+ topic + "\", and the question lies on the strand like a drowned man's sandal, salt-heavy and "
				+ "unclaimed. I am the simulated model, a thing of signatures read by no one: I answer from a script "
				+ "the sample app keeps for those who have not set dedalus.api-key. History, you said once, is a "
				+ "nightmare from which I am trying to awake; so is this reply, and it ends here.";
	}

	static List<String> tokens(String text) {
		List<String> tokens = new ArrayList<>();
		Matcher matcher = TOKENS.matcher(text);
		while (matcher.find()) {
			tokens.add(matcher.group());
		}
		return tokens;
	}

}
