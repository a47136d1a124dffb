import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes {@code ChatCompletionRequest}, {@code RequestDecoding} and {@code RequestWriting} from
 * {@code request-fields.tsv}
 * and the templates beside it, so that each request field is declared once. Run by the build
 * (generate-sources) as a single-file program: {@code java RequestCodegen.java SPEC_DIR OUT_DIR}.
 */
public class RequestCodegen {

	record Field(String name, String wire, String type, Map<String, String> flags, String doc) {

		boolean isList() {
			return this.type.startsWith("List<");
		}

		boolean isMap() {
			return this.type.startsWith("Map<");
		}

		boolean isCollection() {
			return isList() || isMap();
		}

		String element() {
			return this.type.substring(this.type.indexOf('<') + 1, this.type.length() - 1);
		}

		/** The builder setter's parameter: a primitive for numbers and booleans, so they cannot be null. */
		String param() {
			return switch (this.type) {
				case "Double" -> "double";
				case "Integer" -> "int";
				case "Long" -> "long";
				case "Boolean" -> "boolean";
				default -> isList() ? (element().equals("Object") ? "List<?>" : this.type)
						: isMap() ? this.type : "@Nullable " + this.type;
			};
		}

		/** What the JSON value must be, in the API's terms, for decoding errors. */
		String shape() {
			if (isList()) {
				return switch (element()) {
					case "ChatMessage" -> "an array of messages";
					case "Tool" -> "an array of tools";
					case "String" -> "an array of strings";
					default -> "an array";
				};
			}
			if (isMap()) {
				return "an object";
			}
			return switch (this.type) {
				case "Double" -> "a number";
				case "Integer", "Long" -> "an integer";
				case "Boolean" -> "true or false";
				case "String" -> "a string";
				case "ModelSpec" -> "a model id, a {\\\"model\\\", \\\"settings\\\"} object or an array of them";
				case "Object" -> "JSON";
				default -> "an object";
			};
		}

	}

	public static void main(String[] args) throws IOException {
		Path specDir = Path.of(args[0]);
		Path out = Path.of(args[1]).resolve("ai/dedaluslabs/client/chat");
		List<Field> fields = read(specDir.resolve("request-fields.tsv"));
		Map<String, Function<List<Field>, String>> request = new LinkedHashMap<>();
		request.put("field-names", RequestCodegen::fieldNames);
		request.put("field-types", RequestCodegen::fieldTypes);
		request.put("fields", RequestCodegen::fields);
		request.put("assign", RequestCodegen::assign);
		request.put("accessors", RequestCodegen::accessors);
		request.put("builder-fields", RequestCodegen::builderFields);
		request.put("builder-copy", RequestCodegen::builderCopy);
		request.put("builder-setters", RequestCodegen::builderSetters);
		request.put("checks", RequestCodegen::checks);
		write(specDir.resolve("ChatCompletionRequest.java.template"), out.resolve("ChatCompletionRequest.java"),
				fields, request);
		write(specDir.resolve("RequestDecoding.java.template"), out.resolve("RequestDecoding.java"), fields,
				Map.of("decode-cases", RequestCodegen::decodeCases));
		write(specDir.resolve("RequestWriting.java.template"),
				Path.of(args[1]).resolve("ai/dedaluslabs/client/internal/RequestWriting.java"), fields,
				Map.of("write-fields", RequestCodegen::writeFields));
	}

	static List<Field> read(Path spec) throws IOException {
		List<Field> fields = new ArrayList<>();
		for (String line : Files.readAllLines(spec, StandardCharsets.UTF_8)) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			String[] columns = line.split("\t");
			if (columns.length != 5) {
				throw new IllegalArgumentException("Expected 5 tab-separated columns in: " + line);
			}
			Map<String, String> flags = new LinkedHashMap<>();
			if (!columns[3].equals("-")) {
				for (String flag : columns[3].split(",")) {
					String[] pair = flag.split("=", 2);
					flags.put(pair[0], (pair.length > 1) ? pair[1] : "");
				}
			}
			fields.add(new Field(columns[0], columns[1], columns[2], flags, columns[4]));
		}
		return fields;
	}

	static void write(Path template, Path target, List<Field> fields, Map<String, Function<List<Field>, String>> parts)
			throws IOException {
		StringBuilder text = new StringBuilder();
		for (String line : Files.readAllLines(template, StandardCharsets.UTF_8)) {
			if (line.startsWith("//@")) {
				Function<List<Field>, String> part = parts.get(line.substring(3));
				if (part == null) {
					throw new IllegalArgumentException("Unknown marker " + line + " in " + template);
				}
				text.append(part.apply(fields));
			}
			else {
				text.append(line).append('\n');
			}
		}
		Files.createDirectories(target.getParent());
		String generated = text.toString();
		if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(generated)) {
			Files.writeString(target, generated, StandardCharsets.UTF_8);
		}
	}

	static String fieldNames(List<Field> fields) {
		return join(fields, (f) -> "\t\t\t\"" + f.wire() + "\"", ",\n") + "\n";
	}

	static String fieldTypes(List<Field> fields) {
		return join(fields, (f) -> "\t\t\tMap.entry(\"" + f.wire() + "\", \"" + f.type() + "\")", ",\n") + "\n";
	}

	static String fields(List<Field> fields) {
		return join(fields, (f) -> (f.isCollection() ? "\t@JsonInclude(JsonInclude.Include.NON_EMPTY)\n\tprivate final "
				+ f.type() : "\tprivate final @Nullable " + f.type()) + " " + f.name() + ";\n", "\n");
	}

	static String assign(List<Field> fields) {
		return join(fields, (f) -> "\t\tthis." + f.name() + " = " + (f.isList() ? "List.copyOf(builder." + f.name() + ")"
				: f.isMap() ? "Collections.unmodifiableMap(new LinkedHashMap<>(builder." + f.name() + "))"
						: "builder." + f.name()) + ";\n", "");
	}

	static String accessors(List<Field> fields) {
		return join(fields, (f) -> "\t/**\n\t * {@code " + f.wire() + "}: " + f.doc() + "\n\t * @return the value, "
				+ (f.isCollection() ? "empty when unset" : "or {@code null} when unset") + "\n\t */\n\tpublic "
				+ (f.isCollection() ? "" : "@Nullable ") + f.type() + " " + f.name() + "() {\n\t\treturn this."
				+ f.name() + ";\n\t}\n", "\n");
	}

	static String builderFields(List<Field> fields) {
		return join(fields, (f) -> "\t\tprivate " + (f.isList() ? "final " + f.type() + " " + f.name()
				+ " = new ArrayList<>()" : f.isMap() ? "final " + f.type() + " " + f.name() + " = new LinkedHashMap<>()"
						: "@Nullable " + f.type() + " " + f.name()) + ";\n", "\n");
	}

	static String builderCopy(List<Field> fields) {
		return join(fields, (f) -> "\t\t\tthis." + f.name() + (f.isList() ? ".addAll(request." + f.name() + ")"
				: f.isMap() ? ".putAll(request." + f.name() + ")" : " = request." + f.name()) + ";\n", "");
	}

	static String builderSetters(List<Field> fields) {
		List<String> methods = new ArrayList<>();
		for (Field f : fields) {
			if (f.flags().containsKey("custom")) {
				continue;
			}
			String add = f.flags().get("add");
			String doc = "\t\t/**\n\t\t * " + (f.isCollection() ? "Replace" : "Set") + " {@code " + f.wire() + "}: "
					+ f.doc() + "\n\t\t * @param " + f.name() + " the " + (f.isCollection() ? "values" : "value")
					+ "\n\t\t * @return this builder\n\t\t */\n";
			if (add != null) {
				String item = Character.toLowerCase(add.charAt(3)) + add.substring(4);
				methods.add("\t\t/**\n\t\t * Append to {@code " + f.wire() + "}: " + f.doc() + "\n\t\t * @param " + item
						+ " the value to append\n\t\t * @return this builder\n\t\t */\n\t\tpublic Builder " + add + "("
						+ f.element() + " " + item + ") {\n\t\t\tthis." + f.name() + ".add(Objects.requireNonNull(" + item
						+ ", \"" + item + "\"));\n\t\t\treturn this;\n\t\t}\n");
				methods.add(doc + "\t\tpublic Builder " + f.name() + "(" + f.param() + " " + f.name()
						+ ") {\n\t\t\tObjects.requireNonNull(" + f.name() + ", \"" + f.name() + "\");\n\t\t\tthis."
						+ f.name() + ".clear();\n\t\t\t" + f.name() + ".forEach(this::" + add
						+ ");\n\t\t\treturn this;\n\t\t}\n");
			}
			else if (f.isCollection()) {
				methods.add(doc + "\t\tpublic Builder " + f.name() + "(" + f.param() + " " + f.name()
						+ ") {\n\t\t\tObjects.requireNonNull(" + f.name() + ", \"" + f.name() + "\");\n\t\t\tthis."
						+ f.name() + ".clear();\n\t\t\tthis." + f.name() + (f.isList() ? ".addAll(" : ".putAll(") + f.name()
						+ ");\n\t\t\treturn this;\n\t\t}\n");
			}
			else {
				methods.add(doc + "\t\tpublic Builder " + f.name() + "(" + f.param() + " " + f.name() + ") {\n\t\t\tthis."
						+ f.name() + " = " + f.name() + ";\n\t\t\treturn this;\n\t\t}\n");
			}
		}
		return String.join("\n", methods);
	}

	static String checks(List<Field> fields) {
		StringBuilder checks = new StringBuilder();
		for (Field f : fields) {
			String min = f.flags().get("min");
			if (min != null) {
				checks.append("\t\t\tRequestValidation.atLeast(\"").append(f.wire()).append("\", this.").append(f.name())
					.append(", ").append(min).append(");\n");
			}
			String range = f.flags().get("range");
			if (range != null) {
				String[] bounds = range.split(":");
				checks.append("\t\t\tRequestValidation.between(\"").append(f.wire()).append("\", this.").append(f.name())
					.append(", ").append(bounds[0]).append(", ").append(bounds[1]).append(");\n");
			}
		}
		return checks.toString();
	}

	static String decodeCases(List<Field> fields) {
		return join(fields, (f) -> "\t\t\tcase \"" + f.wire() + "\" -> builder." + f.name() + "(read(mapper, value, "
				+ ((treeReader(f) != null) ? "direct, TreeReading::" + treeReader(f) + ", " : "") + "new TypeReference<"
				+ f.type() + ">() {\n\t\t\t}, name, \"" + f.shape() + "\"));\n", "");
	}

	/** The {@code TreeReading} method that reads a value of the field's type from the tree, if any. */
	static String treeReader(Field f) {
		return switch (f.type()) {
			case "String" -> "string";
			case "Boolean" -> "bool";
			case "Integer" -> "integer";
			case "Long" -> "longInteger";
			case "Double" -> "number";
			case "ModelSpec" -> "model";
			case "StreamOptions" -> "streamOptions";
			case "List<ChatMessage>" -> "messages";
			default -> null;
		};
	}

	/**
	 * One call per field, in the order of their wire names (the order the wire mapper's data
	 * binding writes them in, Jackson 3 sorting properties by default): the writer's helper for the
	 * field's stored type. A type without one stops the build, so a new kind of field gets a
	 * decision, not a guess.
	 */
	static String writeFields(List<Field> fields) {
		List<Field> sorted = new ArrayList<>(fields);
		sorted.sort(java.util.Comparator.comparing(Field::wire));
		return join(sorted, (f) -> "\t\t" + writer(f) + "(g, \"" + f.wire() + "\", "
				+ (WRITTEN_AS_GIVEN.contains(f.name()) ? f.name() : "request." + f.name() + "()") + ");\n", "");
	}

	/** Fields the client fills in when it sends a request: the writer takes their values as parameters. */
	static final java.util.Set<String> WRITTEN_AS_GIVEN = java.util.Set.of("model", "stream", "streamOptions");

	static String writer(Field f) {
		return switch (f.type()) {
			case "String" -> "string";
			case "Boolean" -> "bool";
			case "Integer", "Long", "Double" -> "number";
			case "ModelSpec" -> "model";
			case "StreamOptions" -> "streamOptions";
			case "List<ChatMessage>" -> "messages";
			case "List<String>" -> "strings";
			case "Map<String, String>", "Map<String, Integer>" -> "map";
			case "List<Tool>", "List<Object>" -> "values";
			case "Object" -> "value";
			default -> throw new IllegalArgumentException("RequestWriting has no writer for the type " + f.type()
					+ " of field " + f.name() + "; add one to RequestCodegen.writer and the template");
		};
	}

	static String join(List<Field> fields, Function<Field, String> line, String separator) {
		List<String> lines = new ArrayList<>();
		fields.forEach((field) -> lines.add(line.apply(field)));
		return String.join(separator, lines);
	}

}
