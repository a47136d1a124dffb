package ai.dedaluslabs.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text the way a model streams it: words with their leading space, punctuation apart
 * ({@code "Hello there!"} becomes {@code "Hello", " there", "!"}); and JSON arguments into their
 * tokens ({@code {"city":"Paris"}} becomes {@code {, "city", :, "Paris", }}), as providers stream
 * tool-call arguments.
 */
final class Tokens {

	private static final Pattern WORDS = Pattern.compile("\\s*[\\p{L}\\p{N}_']+|\\s*[^\\s\\p{L}\\p{N}_']+|\\s+");

	private Tokens() {
	}

	static List<String> split(String text) {
		List<String> tokens = new ArrayList<>();
		Matcher matcher = WORDS.matcher(text);
		while (matcher.find()) {
			tokens.add(matcher.group());
		}
		return tokens;
	}

	static List<String> splitJson(String json) {
		List<String> tokens = new ArrayList<>();
		int i = 0;
		while (i < json.length()) {
			char c = json.charAt(i);
			if (c == '"') {
				int end = i + 1;
				while (end < json.length() && json.charAt(end) != '"') {
					end += (json.charAt(end) == '\\') ? 2 : 1;
				}
				tokens.add(json.substring(i, Math.min(end + 1, json.length())));
				i = end + 1;
			}
			else if ("{}[]:,".indexOf(c) >= 0 || Character.isWhitespace(c)) {
				tokens.add(String.valueOf(c));
				i++;
			}
			else {
				int end = i;
				while (end < json.length() && "{}[]:,\" \t\r\n".indexOf(json.charAt(end)) < 0) {
					end++;
				}
				tokens.add(json.substring(i, end));
				i = end;
			}
		}
		return tokens;
	}

}
