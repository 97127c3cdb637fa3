"""What the simulated model sends back: answers, reasoning and refusals, in every language.

English answers are sentence templates over a vocabulary per capability area, with headings,
openers, worked arithmetic and code blocks; other languages have complete sentences, general
and per area. Reasoning (thinking) sentences, final-answer lines of math answers and refusals
close the set. Code blocks use ``@@name@@`` placeholders, replaced with :meth:`str.replace`,
because code is full of braces.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from distillguard.simulate.phrases.tables import frozen, nested

#: Sentence templates of English answers; slots come from :data:`EN_ANSWER_VOCAB`.
EN_ANSWER_TEMPLATES: Final = (
    "A good way to approach {subject} is to {step}.",
    "First, {step}; this matters because {reason}.",
    "Next, {step}.",
    "Then {step}, which makes the rest much easier.",
    "The main reason is that {reason}.",
    "Keep in mind that {caveat}.",
    "One thing people often miss is that {caveat}.",
    "For example, {example}.",
    "To give a concrete example, {example}.",
    "In most cases it is worth it, because {reason}.",
    "If that does not work, {step} and compare the results.",
    "When it comes to {subject}, the details matter more than the general idea.",
    "A common mistake with {subject} is to skip this part entirely.",
    "This works well in practice because {reason}.",
    "Finally, {step}.",
    "It also helps to {step}.",
    "In short, {reason}.",
    "That said, {caveat}.",
    "Here is a simple way to check: {step}.",
    "As a rule of thumb, {step} before anything else.",
    "Overall, {subject} becomes much easier once you {step}.",
    "Why does this matter? Because {reason}.",
    "You might wonder whether this always holds; it does not, since {caveat}.",
    "Another option is to {step}.",
    "Put simply, {example}.",
    "Once {subject} is in place, {step}.",
)
#: Headings that may open a paragraph of a longer English answer.
EN_HEADINGS: Final = (
    "**Overview**",
    "**Step by step**",
    "**Why it works**",
    "**Common pitfalls**",
    "**Example**",
    "**Summary**",
    "### Approach",
    "### Details",
    "### Things to watch out for",
    "### Next steps",
)
EN_OPENERS: Final = (
    "Sure!",
    "Good question.",
    "Great question!",
    "Here's a clear way to think about it.",
    "Short answer: it depends, but here is the usual approach.",
    "Happy to help.",
    "Here's an overview.",
    "Let's break it down.",
)

EN_ANSWER_VOCAB: Final = nested(
    {
        "coding": {
            "subject": (
                "this function",
                "error handling",
                "the data structure",
                "the API design",
                "the test suite",
                "the build setup",
                "performance",
                "the code structure",
            ),
            "step": (
                "write a small failing test that reproduces the problem",
                "print the intermediate values to see where they diverge",
                "move the parsing logic into its own function",
                "check the types of the inputs at the boundary",
                "pin the dependency versions in your lock file",
                "add a timeout to every network call",
                "use a dictionary for constant-time lookups",
                "run the linter before committing",
                "handle the empty case explicitly",
                "read the stack trace from the bottom up",
                "replace the nested loops with a single pass",
                "log the input that caused the failure",
            ),
            "reason": (
                "it keeps each function small and easy to test",
                "the error only appears when the input is empty",
                "lookups in a hash map take constant time on average",
                "the loop creates a new object on every iteration",
                "the library changed its default behaviour in the last major version",
                "the async call returns before the data has arrived",
                "mutable default arguments are shared between calls",
                "the cache is never invalidated",
            ),
            "caveat": (
                "this approach uses more memory for very large inputs",
                "the behaviour differs between operating systems",
                "the error message can point to the line after the real problem",
                "premature optimisation often makes code harder to read",
                "threads in Python do not speed up CPU-bound work",
                "a test can pass locally and still fail in CI",
            ),
            "example": (
                "a function that returns `None` on failure forces every caller to check the result",
                "`sorted(items, key=len)` sorts a list of strings by length",
                "wrapping the call in `try`/`except` lets you log the input that caused the "
                "failure",
                "a `Set` in JavaScript removes duplicates in one line",
                "a list comprehension can replace the three-line loop",
                "`git bisect` finds the commit that introduced a bug in a few steps",
            ),
        },
        "math": {
            "subject": (
                "the equation",
                "this proof",
                "the derivative",
                "the probability",
                "the sequence",
                "the integral",
                "the limit",
                "the inequality",
            ),
            "step": (
                "isolate the variable on one side",
                "write down what is given and what is asked",
                "substitute the value back into the original equation",
                "draw a quick diagram",
                "factor the quadratic",
                "apply the chain rule to the outer function first",
                "check the boundary cases",
                "simplify both sides before expanding",
                "convert the percentages to decimals",
                "count the favourable outcomes and divide by all outcomes",
            ),
            "reason": (
                "both sides must stay balanced",
                "a product is zero only if one of its factors is zero",
                "the events are independent",
                "the terms form a geometric progression",
                "the function is continuous on the interval",
                "dividing by a negative number flips the inequality",
                "each term grows by the same amount",
            ),
            "caveat": (
                "dividing by a variable can lose a solution when it equals zero",
                "squaring both sides can introduce extra solutions",
                "the formula only holds for positive values",
                "rounding too early changes the final digits",
                "the series converges only when the ratio is less than one",
            ),
            "example": (
                "if 2x + 3 = 11, then 2x = 8 and x = 4",
                "the derivative of x^2 is 2x",
                "the probability of two heads in a row is 1/2 times 1/2, which is 1/4",
                "1 + 2 + ... + 10 equals 10 * 11 / 2 = 55",
                "sqrt(16) = 4 because 4 * 4 = 16",
                "15% of 80 is 0.15 * 80 = 12",
            ),
        },
        "agentic": {
            "subject": (
                "the agent loop",
                "the tool definitions",
                "the plan",
                "error recovery",
                "the memory of earlier steps",
                "the task list",
                "the hand-off to a human",
            ),
            "step": (
                "give each tool a short, precise description",
                "keep a running list of completed and open steps",
                "validate the tool arguments before calling the tool",
                "stop after a fixed number of failed attempts",
                "log every tool call with its inputs and outputs",
                "ask for confirmation before any irreversible action",
                "summarise the state after each step",
                "split the goal into subtasks that can be checked",
            ),
            "reason": (
                "the model chooses tools based on their descriptions",
                "long histories push important details out of the context",
                "retrying the same action rarely changes the result",
                "a clear stopping rule prevents endless loops",
                "small steps are easier to verify",
            ),
            "caveat": (
                "tools with overlapping names confuse the planner",
                "web pages change, so scraped results need checking",
                "an agent with write access can do real damage",
                "costs grow quickly when every step calls a large model",
                "evaluating agents is harder than evaluating single answers",
            ),
            "example": (
                "a `search_web` tool should say what it returns and how many results",
                "the agent can write `done: booked a table for 4 at 19:30` to its notes",
                "after three failed logins it should stop and report the problem",
                "a calendar agent should check time zones before proposing a slot",
            ),
        },
        "data_analysis": {
            "subject": (
                "the dataset",
                "the analysis",
                "the chart",
                "the model",
                "the sample",
                "the metric",
                "the test",
            ),
            "step": (
                "look at the distribution of each column first",
                "remove or flag obvious duplicates",
                "plot the data before fitting anything",
                "split the data by time, not at random",
                "check how many values are missing per column",
                "compare the groups over the same baseline period",
                "use the median when the data is skewed",
                "write down the hypothesis before looking at the results",
            ),
            "reason": (
                "outliers pull the mean far from the typical value",
                "the two groups were not randomised",
                "seasonality explains most of the variation",
                "a small sample makes the estimate noisy",
                "the metric is defined differently in the two systems",
            ),
            "caveat": (
                "correlation alone does not show causation",
                "testing many metrics at once inflates false positives",
                "a significant result can still be too small to matter",
                "survivorship bias hides the customers who left",
                "aggregated data can reverse a trend seen in each group",
            ),
            "example": (
                "in pandas, `df.isna().mean()` shows the share of missing values per column",
                "a box plot makes the outliers visible at a glance",
                "a 2% lift with 500 users per group is usually not significant",
                "`GROUP BY region` gives one row per region",
            ),
        },
        "writing": {
            "subject": (
                "the opening",
                "the structure",
                "the tone",
                "the ending",
                "the draft",
                "the message",
                "the main point",
            ),
            "step": (
                "start with the one thing the reader must remember",
                "cut every sentence that does not support the main point",
                "read it aloud to find awkward phrasing",
                "replace abstract words with concrete details",
                "keep paragraphs to three or four sentences",
                "end with a clear next step",
                "use the reader's own words where you can",
            ),
            "reason": (
                "readers decide in the first two lines whether to continue",
                "specific details are more convincing than adjectives",
                "short sentences carry emotion better",
                "a clear structure makes the text easier to skim",
            ),
            "caveat": (
                "humour does not always translate across cultures",
                "too many exclamation marks make the tone feel forced",
                "a template can make the text sound generic",
                "formal language can feel cold in a personal note",
            ),
            "example": (
                'instead of "I am very passionate", describe a project you finished',
                '"Thanks for your patience" sounds warmer than "We apologise for the '
                'inconvenience"',
                "a toast can open with a short story from childhood",
                "a headline with a number often gets more clicks",
            ),
        },
        "science": {
            "subject": (
                "the effect",
                "the experiment",
                "the theory",
                "the mechanism",
                "the evidence",
                "the model",
            ),
            "step": (
                "separate what has been measured from what is inferred",
                "look at how the experiment controls for other factors",
                "start from the simplest model that explains the data",
                "compare the result with an everyday example",
                "check whether the result has been replicated",
            ),
            "reason": (
                "shorter wavelengths scatter more strongly",
                "energy is conserved in the process",
                "the immune system remembers the shape of the protein",
                "warmer water holds less dissolved gas",
                "the reaction releases more energy than it uses",
            ),
            "caveat": (
                "popular explanations often simplify the details",
                "a single study is rarely conclusive",
                "the model breaks down at very small scales",
                "correlation in observational data can be misleading",
            ),
            "example": (
                "a prism splits white light into its colours",
                "ice floats because it is less dense than liquid water",
                "a compass needle lines up with Earth's magnetic field",
                "yeast produces carbon dioxide, which makes bread rise",
            ),
        },
        "business": {
            "subject": (
                "the pricing",
                "the plan",
                "the budget",
                "the team",
                "the pitch",
                "the roadmap",
                "cash flow",
            ),
            "step": (
                "start from the customer's problem rather than the product",
                "calculate the break-even point",
                "test the price with a small group of customers",
                "list the three biggest risks and a response to each",
                "set one measurable goal per quarter",
                "talk to ten potential customers before building anything",
                "separate fixed and variable costs",
            ),
            "reason": (
                "customers compare prices with the alternatives they know",
                "a focused offer is easier to sell",
                "acquisition costs rise once you move beyond early adopters",
                "late payments hurt small companies most",
            ),
            "caveat": (
                "discounts are hard to reverse once customers expect them",
                "growth can hide problems in the unit economics",
                "a plan is only useful if someone owns each task",
                "regulation differs from one market to the next",
            ),
            "example": (
                "a café with high fixed costs needs a steady morning rush",
                "a SaaS company might offer an annual plan with two months free",
                "a clear one-page plan is often more useful than a long document",
                "raising prices for new customers first limits the risk",
            ),
        },
        "everyday": {
            "subject": (
                "the plan",
                "the recipe",
                "the routine",
                "the budget",
                "the trip",
                "the problem",
            ),
            "step": (
                "start with a small change you can keep for two weeks",
                "check the simplest cause first",
                "write a short list before you go shopping",
                "book the main things early and leave the rest flexible",
                "set a reminder on your phone",
                "ask someone who has done it before",
                "restart the device and see whether the problem comes back",
            ),
            "reason": (
                "small habits are easier to keep than big resolutions",
                "prices usually rise closer to the date",
                "most problems have a simple cause",
                "it saves time later in the week",
            ),
            "caveat": (
                "what works for one person may not work for another",
                "opening hours often change on public holidays",
                "cheap options can cost more in the long run",
                "some stains set for good if you use hot water",
            ),
            "example": (
                "cold water and a little dish soap remove many fresh stains",
                "a 20-minute walk after dinner is an easy start",
                "cooking a big pot of rice on Sunday saves time on weekdays",
                "a router in the middle of the flat covers more rooms",
            ),
        },
    }
)

#: Lines of worked arithmetic in math answers and in reasoning: ``{a} op {b} = {c}``.
EN_ARITHMETIC: Final = (
    "We have {a} + {b} = {c}.",
    "Adding the two parts gives {a} + {b} = {c}.",
    "Multiplying, {a} × {b} = {c}.",
    "So this step gives {a} × {b} = {c}.",
    "Subtracting, {c} - {b} = {a}.",
    "That leaves {c} - {a} = {b}.",
)

#: Code blocks of answers, per area; ``@@fn@@`` (snake case), ``@@fnc@@`` (camel case),
#: ``@@var@@``, ``@@n@@`` and ``@@tool@@`` are filled in.
ANSWER_CODE: Final = frozen(
    {
        "coding": (
            "```python\ndef @@fn@@(@@var@@):\n    seen = set()\n    result = []\n"
            "    for item in @@var@@:\n        if item not in seen:\n            seen.add(item)\n"
            "            result.append(item)\n    return result\n```",
            "```python\nimport time\n\n\ndef @@fn@@(call, retries=@@n@@):\n"
            "    for attempt in range(retries):\n        try:\n            return call()\n"
            "        except ConnectionError:\n            time.sleep(2 ** attempt)\n"
            '    raise RuntimeError("all retries failed")\n```',
            '```python\nwith open("@@var@@.csv", newline="") as f:\n'
            "    rows = list(csv.DictReader(f))\n"
            'print(len(rows), "rows")\n```',
            "```javascript\nfunction @@fnc@@(@@var@@) {\n  return [...new Set(@@var@@)];\n}\n```",
            "```javascript\nasync function @@fnc@@(url) {\n"
            "  const res = await fetch(url, { signal: AbortSignal.timeout(@@n@@000) });\n"
            "  if (!res.ok) throw new Error(`HTTP ${res.status}`);\n  return res.json();\n}\n```",
            "```sql\nSELECT customer_id, SUM(total) AS revenue\nFROM orders\n"
            "WHERE created_at >= DATE '2024-01-01'\nGROUP BY customer_id\n"
            "ORDER BY revenue DESC\nLIMIT @@n@@;\n```",
            '```bash\nfor f in *.log; do\n  echo "$f: $(grep -c ERROR "$f")"\ndone\n```',
            "```go\nfunc @@fnc@@(@@var@@ []string) map[string]int {\n"
            "\tcounts := make(map[string]int)\n\tfor _, w := range @@var@@ {\n"
            "\t\tcounts[w]++\n\t}\n\treturn counts\n}\n```",
            "```rust\nfn @@fn@@(@@var@@: &[i64]) -> i64 {\n"
            "    @@var@@.iter().filter(|x| **x > 0).sum()\n}\n```",
        ),
        "data_analysis": (
            "```python\nimport pandas as pd\n\n"
            'df = pd.read_csv("@@var@@.csv", parse_dates=["date"])\n'
            'summary = df.groupby("region")["revenue"].agg(["mean", "median", "count"])\n'
            'print(summary.sort_values("mean", ascending=False).head(@@n@@))\n```',
            "```python\nmissing = df.isna().mean().sort_values(ascending=False)\n"
            "print(missing[missing > 0])\n```",
            "```sql\nSELECT date_trunc('month', created_at) AS month,\n"
            "       COUNT(DISTINCT user_id) AS active_users\nFROM events\nGROUP BY 1\n"
            "ORDER BY 1;\n```",
            "```python\nfrom scipy import stats\n\n"
            "t, p = stats.ttest_ind(group_a, group_b, equal_var=False)\n"
            'print(f"t = {t:.2f}, p = {p:.3f}")\n```',
            '```python\nweekly = df.resample("W", on="date")["@@var@@"].sum()\n'
            "weekly.rolling(@@n@@).mean().plot()\n```",
        ),
        "agentic": (
            '```json\n{"tool": "@@tool@@", "arguments": {"query": "@@var@@", "limit": @@n@@}}\n```',
            "```python\nfor step in range(@@n@@):\n    action = model.decide(history)\n"
            '    if action.name == "finish":\n        break\n'
            "    result = tools[action.name](**action.arguments)\n"
            "    history.append((action, result))\n```",
            '```json\n{\n  "name": "@@tool@@",\n  "description": "Look up @@var@@ by id.",\n'
            '  "parameters": {\n    "type": "object",\n'
            '    "properties": {"id": {"type": "string"}},\n    "required": ["id"]\n  }\n}\n```',
        ),
    }
)
CODE_NAMES: Final = frozen(
    {
        "fn": (
            "dedupe",
            "retry_call",
            "load_rows",
            "count_words",
            "parse_config",
            "fetch_json",
            "chunked",
            "normalize",
            "sum_positive",
            "merge_sorted",
            "read_settings",
            "group_by_key",
        ),
        "var": ("items", "values", "orders", "records", "words", "users", "events", "sales"),
        "tool": ("search_web", "get_weather", "query_database", "read_file", "lookup_order"),
    }
)

#: English reasoning sentences; slots from the answer vocabulary of any area, plus numbers.
EN_REASONING: Final = (
    "Okay, let me restate what is being asked.",
    "The key question is how to handle {subject}.",
    "Let me think about {subject} step by step.",
    "First idea: {step}.",
    "Hmm, maybe it is because {reason}.",
    "Wait, I should check whether {caveat}.",
    "Let me verify: {a} + {b} = {c}. Good.",
    "{a} × {b} = {c}, so the estimate is in the right range.",
    "That doesn't quite fit. Let me go back one step.",
    "Alternatively, I could {step} instead.",
    "I think the simplest path is to {step}, then check the result.",
    "One edge case: what if the input is empty?",
    "So far this is consistent with what I found above.",
    "Actually, I need to reconsider, because {reason}.",
    "The answer should mention that {caveat}.",
    "Let me structure the answer: short summary, then the steps, then an example.",
    "Is anything missing? I haven't looked at {subject} yet.",
    "Right, so the conclusion holds.",
    "Let me double-check the numbers once more before answering.",
    "That gives {c} in total, which seems plausible.",
    "The user probably wants something practical. A good illustration: {example}.",
    "Hmm, {c} - {b} = {a}. Yes.",
    "Should I {step} first? Probably, since {reason}.",
    "I'm fairly confident now.",
    "Let me reconsider the assumptions.",
    "Actually no, that's wrong. Let me redo this part.",
)

INTL_ANSWERS: Final = frozen(
    {
        "de": (
            "Am einfachsten ist es, zuerst das Grundprinzip zu verstehen und dann ein kleines "
            "Beispiel durchzugehen.",
            "Ein häufiger Fehler ist, zu viele Schritte auf einmal zu machen.",
            "Wichtig ist dabei, die Annahmen klar aufzuschreiben.",
            "Danach lohnt es sich, das Ergebnis mit einem zweiten Ansatz zu überprüfen.",
            "In der Praxis hängt vieles von den konkreten Rahmenbedingungen ab.",
            "Kurz gesagt: Fang klein an und verbessere Schritt für Schritt.",
            "Wenn das nicht funktioniert, hilft oft ein genauer Blick auf die Details.",
            "Zum Beispiel kann man die Aufgabe in drei kleinere Teile zerlegen.",
            "Das hat den Vorteil, dass man Fehler schneller findet.",
            "Trotzdem sollte man die Grenzen dieses Ansatzes kennen.",
            "Als Faustregel gilt: Je einfacher die Lösung, desto leichter ist sie zu pflegen.",
            "Im nächsten Schritt geht es darum, die Ergebnisse sauber zu dokumentieren.",
        ),
        "fr": (
            "Le plus simple est de comprendre d'abord le principe, puis de passer par un petit "
            "exemple.",
            "Une erreur fréquente consiste à vouloir tout faire d'un coup.",
            "Il est important de noter clairement les hypothèses de départ.",
            "Ensuite, il vaut la peine de vérifier le résultat avec une deuxième méthode.",
            "En pratique, tout dépend du contexte concret.",
            "En résumé : commencez petit et améliorez étape par étape.",
            "Si cela ne fonctionne pas, regardez les détails de plus près.",
            "Par exemple, on peut découper la tâche en trois parties plus petites.",
            "L'avantage, c'est qu'on repère les erreurs plus vite.",
            "Il faut néanmoins connaître les limites de cette approche.",
            "En règle générale, plus la solution est simple, plus elle est facile à maintenir.",
            "L'étape suivante consiste à bien documenter les résultats.",
        ),
        "es": (
            "Lo más sencillo es entender primero el principio y luego ver un ejemplo pequeño.",
            "Un error frecuente es querer hacerlo todo a la vez.",
            "Es importante anotar claramente las suposiciones de partida.",
            "Después conviene comprobar el resultado con un segundo método.",
            "En la práctica, mucho depende del contexto concreto.",
            "En resumen: empieza poco a poco y mejora paso a paso.",
            "Si eso no funciona, merece la pena revisar los detalles.",
            "Por ejemplo, se puede dividir la tarea en tres partes más pequeñas.",
            "La ventaja es que los errores se detectan antes.",
            "Aun así, conviene conocer los límites de este enfoque.",
            "Como regla general, cuanto más simple es la solución, más fácil es mantenerla.",
            "El siguiente paso es documentar bien los resultados.",
        ),
        "pt": (
            "O mais simples é entender primeiro o princípio e depois ver um exemplo pequeno.",
            "Um erro comum é tentar fazer tudo de uma vez.",
            "É importante anotar claramente as premissas.",
            "Depois, vale a pena conferir o resultado com um segundo método.",
            "Na prática, muita coisa depende do contexto.",
            "Resumindo: comece pequeno e melhore passo a passo.",
            "Se isso não funcionar, vale olhar os detalhes com mais calma.",
            "Por exemplo, dá para dividir a tarefa em três partes menores.",
            "A vantagem é que os erros aparecem mais cedo.",
            "Mesmo assim, é bom conhecer os limites dessa abordagem.",
            "Como regra geral, quanto mais simples a solução, mais fácil é mantê-la.",
            "O próximo passo é documentar bem os resultados.",
        ),
        "ja": (
            "まずは基本的な考え方を理解してから、小さな例で確認するのが一番簡単です。",
            "よくある間違いは、一度にすべてをやろうとすることです。",
            "前提条件をはっきり書き出しておくことが大切です。",
            "そのあと、別の方法で結果を確かめると安心です。",
            "実際には、具体的な状況によって大きく変わります。",
            "要するに、小さく始めて少しずつ改善していくのがコツです。",
            "うまくいかない場合は、細かい部分をもう一度見直してみてください。",
            "たとえば、作業を三つの小さな部分に分けることができます。",
            "そうすると、間違いを早く見つけられるという利点があります。",
            "ただし、この方法の限界も知っておく必要があります。",
            "目安として、解決策はシンプルなほど保守しやすくなります。",
            "次のステップは、結果をきちんと記録することです。",
        ),
        "zh": (
            "最简单的办法是先理解基本原理，再用一个小例子来验证。",
            "常见的错误是想一次把所有事情都做完。",
            "重要的是把前提条件清楚地写下来。",
            "之后最好用另一种方法再检查一遍结果。",
            "在实际中，很多事情取决于具体情况。",
            "总之，从小处着手，一步一步改进。",
            "如果这样不行，可以再仔细看看细节。",
            "比如，可以把任务拆成三个更小的部分。",
            "这样做的好处是能更早发现错误。",
            "不过，也要了解这种方法的局限。",
            "一般来说，方案越简单，越容易维护。",
            "下一步是把结果好好记录下来。",
        ),
        "ko": (
            "먼저 기본 원리를 이해한 다음, 작은 예시로 확인하는 것이 가장 쉽습니다.",
            "흔한 실수는 모든 것을 한 번에 하려는 것입니다.",
            "전제 조건을 명확하게 적어 두는 것이 중요합니다.",
            "그다음에는 다른 방법으로 결과를 한 번 더 확인하는 것이 좋습니다.",
            "실제로는 구체적인 상황에 따라 많이 달라집니다.",
            "요약하면, 작게 시작해서 조금씩 개선하는 것이 핵심입니다.",
            "잘 안 되면 세부 사항을 다시 한번 살펴보세요.",
            "예를 들어, 작업을 세 개의 작은 부분으로 나눌 수 있습니다.",
            "이렇게 하면 오류를 더 빨리 찾을 수 있다는 장점이 있습니다.",
            "다만 이 방법의 한계도 알아 두어야 합니다.",
            "일반적으로 해결책이 단순할수록 유지 보수가 쉽습니다.",
            "다음 단계는 결과를 꼼꼼하게 기록하는 것입니다.",
        ),
        "ru": (
            "Проще всего сначала понять основной принцип, а потом разобрать небольшой пример.",
            "Частая ошибка — пытаться сделать всё сразу.",
            "Важно чётко записать исходные предположения.",
            "После этого стоит проверить результат другим способом.",
            "На практике многое зависит от конкретной ситуации.",
            "Короче говоря, начните с малого и улучшайте шаг за шагом.",
            "Если это не помогает, имеет смысл внимательнее посмотреть на детали.",
            "Например, задачу можно разбить на три небольшие части.",
            "Преимущество в том, что ошибки обнаруживаются раньше.",
            "Тем не менее стоит знать ограничения этого подхода.",
            "Как правило, чем проще решение, тем легче его поддерживать.",
            "Следующий шаг — аккуратно задокументировать результаты.",
        ),
    }
)
INTL_AREA_ANSWERS: Final = nested(
    {
        "de": {
            "coding": (
                "Im Code sollte jede Funktion möglichst nur eine Aufgabe erledigen.",
                "Ein kurzer Unit-Test zeigt schnell, ob die Funktion wie erwartet arbeitet.",
                "Prüfe außerdem, wie sich der Code bei leeren Eingaben verhält.",
            ),
            "math": (
                "Setzt man die Werte in die Gleichung ein, sieht man sofort, ob die Lösung stimmt.",
                "Hier hilft es, beide Seiten der Gleichung schrittweise umzuformen.",
                "Eine kleine Skizze macht den Zusammenhang oft deutlicher.",
            ),
            "agentic": (
                "Der Agent sollte nach jedem Schritt prüfen, ob das Zwischenergebnis "
                "plausibel ist.",
                "Jedes Tool braucht eine klare Beschreibung seiner Parameter.",
                "Für kritische Aktionen ist eine Bestätigung durch einen Menschen sinnvoll.",
            ),
            "data_analysis": (
                "Vor der Analyse sollte man die Daten auf Ausreißer und fehlende Werte prüfen.",
                "Eine einfache Visualisierung zeigt oft mehr als eine lange Tabelle.",
                "Korrelation bedeutet dabei noch keine Kausalität.",
            ),
            "writing": (
                "Ein guter Text beginnt mit einem Satz, der sofort neugierig macht.",
                "Kurze Absätze machen den Text deutlich leichter lesbar.",
                "Am Ende sollte klar sein, was der Leser als Nächstes tun soll.",
            ),
            "science": (
                "Experimente zeigen, dass dieser Effekt unter sehr verschiedenen Bedingungen "
                "auftritt.",
                "Physikalisch lässt sich das mit der Erhaltung der Energie erklären.",
                "Die Forschung dazu ist allerdings noch nicht abgeschlossen.",
            ),
            "business": (
                "Entscheidend sind am Ende die Kosten pro Kunde und die Marge.",
                "Ein klarer Zeitplan mit Verantwortlichen hilft dem ganzen Team.",
                "Sprich früh mit deinen wichtigsten Kunden, bevor du die Preise änderst.",
            ),
            "everyday": (
                "Das klappt meistens schon mit Mitteln, die man ohnehin zu Hause hat.",
                "Plane etwas Puffer ein, falls etwas dazwischenkommt.",
                "Wenn das Problem bleibt, lohnt sich ein Blick in die Bedienungsanleitung.",
            ),
        },
        "fr": {
            "coding": (
                "Dans le code, chaque fonction devrait idéalement faire une seule chose.",
                "Un petit test unitaire montre vite si la fonction se comporte comme prévu.",
                "Vérifiez aussi le comportement du code avec une entrée vide.",
            ),
            "math": (
                "En remplaçant les valeurs dans l'équation, on voit tout de suite si la solution "
                "est juste.",
                "Ici, il est utile de transformer les deux membres de l'équation pas à pas.",
                "Un petit schéma rend souvent la relation plus claire.",
            ),
            "agentic": (
                "L'agent devrait vérifier après chaque étape que le résultat intermédiaire est "
                "plausible.",
                "Chaque outil a besoin d'une description claire de ses paramètres.",
                "Pour les actions critiques, une validation humaine est utile.",
            ),
            "data_analysis": (
                "Avant l'analyse, il faut repérer les valeurs aberrantes et les valeurs "
                "manquantes.",
                "Une visualisation simple en dit souvent plus qu'un long tableau.",
                "Une corrélation n'implique pas pour autant une causalité.",
            ),
            "writing": (
                "Un bon texte commence par une phrase qui donne envie de lire la suite.",
                "Des paragraphes courts rendent le texte beaucoup plus lisible.",
                "À la fin, le lecteur doit savoir ce qu'il doit faire ensuite.",
            ),
            "science": (
                "Les expériences montrent que cet effet apparaît dans des conditions très "
                "différentes.",
                "Physiquement, on l'explique par la conservation de l'énergie.",
                "Les recherches sur ce sujet ne sont cependant pas terminées.",
            ),
            "business": (
                "Au final, ce qui compte, c'est le coût par client et la marge.",
                "Un calendrier clair avec des responsables aide toute l'équipe.",
                "Parlez tôt à vos principaux clients avant de changer vos prix.",
            ),
            "everyday": (
                "Cela marche souvent avec des produits que l'on a déjà à la maison.",
                "Prévoyez un peu de marge au cas où quelque chose arriverait.",
                "Si le problème persiste, jetez un œil au mode d'emploi.",
            ),
        },
        "es": {
            "coding": (
                "En el código, cada función debería encargarse de una sola cosa.",
                "Una prueba unitaria corta muestra rápidamente si la función hace lo esperado.",
                "Comprueba también qué hace el código con una entrada vacía.",
            ),
            "math": (
                "Si sustituimos los valores en la ecuación, vemos enseguida si la solución es "
                "correcta.",
                "Aquí ayuda transformar ambos lados de la ecuación paso a paso.",
                "Un pequeño dibujo suele aclarar la relación.",
            ),
            "agentic": (
                "El agente debería comprobar después de cada paso si el resultado intermedio es "
                "razonable.",
                "Cada herramienta necesita una descripción clara de sus parámetros.",
                "Para las acciones críticas conviene que una persona dé su aprobación.",
            ),
            "data_analysis": (
                "Antes del análisis hay que revisar los valores atípicos y los datos faltantes.",
                "Una visualización sencilla suele decir más que una tabla larga.",
                "Correlación no implica causalidad.",
            ),
            "writing": (
                "Un buen texto empieza con una frase que despierta la curiosidad.",
                "Los párrafos cortos hacen que el texto se lea mucho mejor.",
                "Al final debe quedar claro qué tiene que hacer el lector.",
            ),
            "science": (
                "Los experimentos muestran que este efecto aparece en condiciones muy distintas.",
                "Desde la física, se explica por la conservación de la energía.",
                "Sin embargo, la investigación sobre este tema aún no ha terminado.",
            ),
            "business": (
                "Al final, lo decisivo son el coste por cliente y el margen.",
                "Un calendario claro con responsables ayuda a todo el equipo.",
                "Habla pronto con tus clientes principales antes de cambiar los precios.",
            ),
            "everyday": (
                "Muchas veces basta con cosas que ya tienes en casa.",
                "Deja un poco de margen por si surge algún imprevisto.",
                "Si el problema continúa, echa un vistazo al manual de instrucciones.",
            ),
        },
        "pt": {
            "coding": (
                "No código, cada função deve cuidar de uma única coisa.",
                "Um teste unitário curto mostra rapidamente se a função faz o que se espera.",
                "Verifique também o que o código faz com uma entrada vazia.",
            ),
            "math": (
                "Substituindo os valores na equação, dá para ver na hora se a solução está certa.",
                "Aqui ajuda transformar os dois lados da equação passo a passo.",
                "Um desenho simples costuma deixar a relação mais clara.",
            ),
            "agentic": (
                "O agente deve conferir depois de cada etapa se o resultado intermediário faz "
                "sentido.",
                "Cada ferramenta precisa de uma descrição clara dos seus parâmetros.",
                "Para ações críticas, é bom ter a aprovação de uma pessoa.",
            ),
            "data_analysis": (
                "Antes da análise, é preciso checar valores discrepantes e dados ausentes.",
                "Uma visualização simples muitas vezes diz mais do que uma tabela longa.",
                "Correlação não implica causalidade.",
            ),
            "writing": (
                "Um bom texto começa com uma frase que desperta curiosidade.",
                "Parágrafos curtos deixam o texto muito mais fácil de ler.",
                "No final, o leitor precisa saber o que fazer em seguida.",
            ),
            "science": (
                "Os experimentos mostram que esse efeito aparece em condições bem diferentes.",
                "Na física, isso se explica pela conservação de energia.",
                "Mas a pesquisa sobre esse tema ainda não terminou.",
            ),
            "business": (
                "No fim das contas, o que decide é o custo por cliente e a margem.",
                "Um cronograma claro, com responsáveis, ajuda toda a equipe.",
                "Converse cedo com seus principais clientes antes de mudar os preços.",
            ),
            "everyday": (
                "Muitas vezes dá certo com coisas que você já tem em casa.",
                "Deixe uma folga no planejamento caso surja algum imprevisto.",
                "Se o problema continuar, dê uma olhada no manual.",
            ),
        },
        "ja": {
            "coding": (
                "コードでは、一つの関数に一つの役割だけを持たせるのが理想です。",
                "短い単体テストを書けば、関数が期待どおりに動くかすぐにわかります。",
                "入力が空の場合の動作も確認しておきましょう。",
            ),
            "math": (
                "値を方程式に代入すれば、解が正しいかどうかすぐに確認できます。",
                "ここでは、両辺を一歩ずつ変形していくのがポイントです。",
                "簡単な図を描くと、関係がわかりやすくなります。",
            ),
            "agentic": (
                "エージェントは各ステップのあとで、途中結果が妥当かどうかを確認すべきです。",
                "それぞれのツールには、パラメータのわかりやすい説明が必要です。",
                "重要な操作の前には、人間が確認する仕組みを入れると安全です。",
            ),
            "data_analysis": (
                "分析の前に、外れ値と欠損値を確認しておきましょう。",
                "シンプルなグラフのほうが、長い表よりも多くを伝えることがあります。",
                "相関があるからといって、因果関係があるとは限りません。",
            ),
            "writing": (
                "良い文章は、読み手の興味を引く一文から始まります。",
                "段落を短くすると、ぐっと読みやすくなります。",
                "最後に、読み手が次に何をすればいいかを明確にしましょう。",
            ),
            "science": (
                "実験によって、この現象がさまざまな条件で起こることがわかっています。",
                "物理的には、エネルギー保存の法則で説明できます。",
                "ただし、このテーマの研究はまだ続いています。",
            ),
            "business": (
                "最終的に重要なのは、顧客一人あたりのコストと利益率です。",
                "担当者と期限がはっきりした計画は、チーム全体の助けになります。",
                "価格を変える前に、主要な顧客と早めに話しておきましょう。",
            ),
            "everyday": (
                "たいていは、家にあるもので対処できます。",
                "予定外のことに備えて、少し余裕を持っておきましょう。",
                "問題が続く場合は、取扱説明書を確認してみてください。",
            ),
        },
        "zh": {
            "coding": (
                "写代码时，每个函数最好只负责一件事。",
                "写一个简短的单元测试，就能很快知道函数是否符合预期。",
                "还要检查一下输入为空时代码会怎样。",
            ),
            "math": (
                "把数值代回方程，马上就能看出解是否正确。",
                "这里的关键是一步一步地变形等式两边。",
                "画一个简单的图，关系往往会更清楚。",
            ),
            "agentic": (
                "智能体每完成一步，都应该检查中间结果是否合理。",
                "每个工具都需要清楚地说明它的参数。",
                "对于关键操作，最好加入人工确认。",
            ),
            "data_analysis": (
                "分析之前，要先检查异常值和缺失值。",
                "一张简单的图表往往比一张长表格更能说明问题。",
                "相关并不意味着因果。",
            ),
            "writing": (
                "好的文章要用一句能引起好奇心的话开头。",
                "段落短一些，文章会好读很多。",
                "结尾要让读者清楚下一步该做什么。",
            ),
            "science": (
                "实验表明，这种现象在很多不同条件下都会出现。",
                "从物理上讲，可以用能量守恒来解释。",
                "不过，这方面的研究还在继续。",
            ),
            "business": (
                "归根结底，关键是获客成本和利润率。",
                "有明确负责人和时间表的计划对整个团队都有帮助。",
                "调整价格之前，先和主要客户沟通一下。",
            ),
            "everyday": (
                "很多时候，用家里现有的东西就能解决。",
                "留出一些余地，以防出现意外情况。",
                "如果问题一直存在，可以看看说明书。",
            ),
        },
        "ko": {
            "coding": (
                "코드에서는 함수 하나가 한 가지 일만 하도록 만드는 것이 좋습니다.",
                "짧은 단위 테스트를 작성하면 함수가 예상대로 동작하는지 바로 알 수 있습니다.",
                "입력이 비어 있을 때 코드가 어떻게 동작하는지도 확인해 보세요.",
            ),
            "math": (
                "값을 방정식에 대입해 보면 답이 맞는지 바로 확인할 수 있습니다.",
                "여기서는 양변을 한 단계씩 변형하는 것이 중요합니다.",
                "간단한 그림을 그려 보면 관계가 더 분명해집니다.",
            ),
            "agentic": (
                "에이전트는 각 단계가 끝날 때마다 중간 결과가 타당한지 확인해야 합니다.",
                "각 도구에는 매개변수에 대한 명확한 설명이 필요합니다.",
                "중요한 작업 전에는 사람이 확인하는 절차를 두는 것이 안전합니다.",
            ),
            "data_analysis": (
                "분석하기 전에 이상치와 결측값부터 확인하세요.",
                "간단한 그래프 하나가 긴 표보다 더 많은 것을 보여 줄 때가 많습니다.",
                "상관관계가 있다고 해서 인과관계가 있는 것은 아닙니다.",
            ),
            "writing": (
                "좋은 글은 독자의 호기심을 끄는 첫 문장으로 시작합니다.",
                "문단을 짧게 나누면 글이 훨씬 읽기 쉬워집니다.",
                "마지막에는 독자가 다음에 무엇을 해야 하는지 분명히 알려 주세요.",
            ),
            "science": (
                "실험을 통해 이 현상이 다양한 조건에서 나타난다는 것이 확인되었습니다.",
                "물리적으로는 에너지 보존 법칙으로 설명할 수 있습니다.",
                "다만 이 주제에 대한 연구는 아직 진행 중입니다.",
            ),
            "business": (
                "결국 중요한 것은 고객당 비용과 마진입니다.",
                "담당자와 일정이 분명한 계획은 팀 전체에 도움이 됩니다.",
                "가격을 바꾸기 전에 주요 고객과 먼저 이야기해 보세요.",
            ),
            "everyday": (
                "대부분은 집에 있는 물건으로 해결할 수 있습니다.",
                "예상치 못한 일에 대비해 여유를 조금 두세요.",
                "문제가 계속되면 사용 설명서를 확인해 보세요.",
            ),
        },
        "ru": {
            "coding": (
                "В коде каждая функция в идеале должна отвечать только за одну задачу.",
                "Короткий модульный тест быстро покажет, работает ли функция так, как ожидается.",
                "Проверьте также, как код ведёт себя с пустыми входными данными.",
            ),
            "math": (
                "Если подставить значения в уравнение, сразу видно, верно ли решение.",
                "Здесь помогает поэтапно преобразовывать обе части уравнения.",
                "Простой рисунок часто делает связь нагляднее.",
            ),
            "agentic": (
                "После каждого шага агент должен проверять, правдоподобен ли промежуточный "
                "результат.",
                "Каждому инструменту нужно понятное описание его параметров.",
                "Для критичных действий полезно подтверждение человеком.",
            ),
            "data_analysis": (
                "Перед анализом нужно проверить данные на выбросы и пропуски.",
                "Простой график часто говорит больше, чем длинная таблица.",
                "Корреляция ещё не означает причинно-следственной связи.",
            ),
            "writing": (
                "Хороший текст начинается с фразы, которая вызывает интерес.",
                "Короткие абзацы делают текст заметно удобнее для чтения.",
                "В конце читателю должно быть понятно, что делать дальше.",
            ),
            "science": (
                "Эксперименты показывают, что этот эффект возникает в самых разных условиях.",
                "С точки зрения физики это объясняется законом сохранения энергии.",
                "Впрочем, исследования в этой области ещё продолжаются.",
            ),
            "business": (
                "В итоге решающее значение имеют стоимость привлечения клиента и маржа.",
                "Понятный план со сроками и ответственными помогает всей команде.",
                "Поговорите с ключевыми клиентами заранее, прежде чем менять цены.",
            ),
            "everyday": (
                "Чаще всего хватает того, что и так есть дома.",
                "Заложите небольшой запас времени на случай непредвиденных обстоятельств.",
                "Если проблема не исчезает, загляните в инструкцию.",
            ),
        },
    }
)
INTL_OPENERS: Final = frozen(
    {
        "de": ("Gute Frage!", "Gern helfe ich dabei.", "Hier ist eine kurze Übersicht."),
        "fr": ("Bonne question !", "Avec plaisir.", "Voici un bref aperçu."),
        "es": ("¡Buena pregunta!", "Con gusto te ayudo.", "Aquí tienes un resumen breve."),
        "pt": ("Boa pergunta!", "Claro, posso ajudar.", "Aqui vai um resumo rápido."),
        "ja": ("いい質問ですね。", "お手伝いします。", "簡単にまとめます。"),
        "zh": ("好问题！", "很乐意帮忙。", "下面简单总结一下。"),
        "ko": ("좋은 질문이에요.", "기꺼이 도와드릴게요.", "간단히 정리해 드릴게요."),
        "ru": ("Хороший вопрос!", "С радостью помогу.", "Вот краткий обзор."),
    }
)
#: The last line of a math answer, per language.
FINAL_ANSWER: Final = MappingProxyType(
    {
        "en": "**Final answer:** {n}",
        "de": "**Endergebnis:** {n}",
        "fr": "**Résultat final :** {n}",
        "es": "**Resultado final:** {n}",
        "pt": "**Resultado final:** {n}",
        "ja": "**最終的な答え：** {n}",
        "zh": "**最终答案：** {n}",
        "ko": "**최종 답:** {n}",
        "ru": "**Итоговый ответ:** {n}",
    }
)
INTL_REASONING: Final = frozen(
    {
        "de": (
            "Zuerst formuliere ich die Aufgabe noch einmal in eigenen Worten.",
            "Der Nutzer möchte eine klare Antwort, also sollte ich strukturiert vorgehen.",
            "Moment, das passt nicht ganz. Ich rechne noch einmal nach.",
            "{a} + {b} = {c}, das stimmt.",
            "{a} · {b} = {c}, also ist dieser Teil korrekt.",
            "Eine andere Möglichkeit wäre, das Problem von hinten aufzurollen.",
            "Ich sollte noch den Sonderfall prüfen, dass die Eingabe leer ist.",
            "Das scheint konsistent mit dem vorherigen Ergebnis zu sein.",
            "Also fasse ich zusammen: zuerst die Grundidee, dann ein Beispiel.",
            "Hm, vielleicht habe ich eine Annahme übersehen.",
        ),
        "fr": (
            "D'abord, je reformule la question avec mes propres mots.",
            "L'utilisateur veut une réponse claire, donc je dois procéder de façon structurée.",
            "Attends, ça ne colle pas. Je refais le calcul.",
            "{a} + {b} = {c}, c'est correct.",
            "{a} × {b} = {c}, donc cette partie est juste.",
            "Une autre possibilité serait de partir du résultat et de remonter.",
            "Je dois encore vérifier le cas particulier où l'entrée est vide.",
            "Cela semble cohérent avec le résultat précédent.",
            "Je résume donc : d'abord l'idée générale, puis un exemple.",
            "Hmm, j'ai peut-être oublié une hypothèse.",
        ),
        "es": (
            "Primero, reformulo la pregunta con mis propias palabras.",
            "El usuario quiere una respuesta clara, así que debo ir por partes.",
            "Espera, esto no cuadra. Vuelvo a hacer la cuenta.",
            "{a} + {b} = {c}, correcto.",
            "{a} × {b} = {c}, así que esta parte está bien.",
            "Otra opción sería empezar por el resultado e ir hacia atrás.",
            "Todavía tengo que comprobar el caso especial de una entrada vacía.",
            "Parece coherente con el resultado anterior.",
            "Entonces resumo: primero la idea general y luego un ejemplo.",
            "Mmm, quizá se me escapó alguna suposición.",
        ),
        "pt": (
            "Primeiro, vou reformular a pergunta com minhas palavras.",
            "O usuário quer uma resposta clara, então devo ir por partes.",
            "Espera, isso não bate. Vou refazer a conta.",
            "{a} + {b} = {c}, certo.",
            "{a} × {b} = {c}, então essa parte está correta.",
            "Outra opção seria partir do resultado e voltar.",
            "Ainda preciso verificar o caso especial de uma entrada vazia.",
            "Parece coerente com o resultado anterior.",
            "Então resumo: primeiro a ideia geral, depois um exemplo.",
            "Hum, talvez eu tenha deixado passar alguma premissa.",
        ),
        "ja": (
            "まず、問題を自分の言葉で言い直してみる。",
            "ユーザーはわかりやすい答えを求めているので、順序立てて考えよう。",
            "待って、これは合わない。もう一度計算し直す。",
            "{a} + {b} = {c}、これは正しい。",
            "{a} × {b} = {c} なので、この部分は合っている。",
            "別の方法として、答えから逆にたどることもできる。",
            "入力が空の場合という特殊なケースも確認しておく必要がある。",
            "前の結果とも矛盾しないようだ。",
            "では、まず全体の考え方、次に例という順でまとめよう。",
            "うーん、何か前提を見落としているかもしれない。",
        ),
        "zh": (
            "首先，我用自己的话把问题重新说一遍。",
            "用户想要一个清楚的答案，所以我应该有条理地推进。",
            "等等，这里对不上，我重新算一下。",
            "{a} + {b} = {c}，没错。",
            "{a} × {b} = {c}，所以这一部分是对的。",
            "另一种思路是从结果往回推。",
            "我还需要检查输入为空这种特殊情况。",
            "这和前面的结果似乎是一致的。",
            "那我总结一下：先讲整体思路，再举一个例子。",
            "嗯，也许我漏掉了某个前提。",
        ),
        "ko": (
            "먼저 문제를 내 말로 다시 정리해 보자.",
            "사용자는 명확한 답을 원하니까 순서대로 접근해야 한다.",
            "잠깐, 이건 맞지 않는다. 다시 계산해 보자.",
            "{a} + {b} = {c}, 맞다.",
            "{a} × {b} = {c}이므로 이 부분은 맞다.",
            "다른 방법으로는 결과에서 거꾸로 따라가 볼 수도 있다.",
            "입력이 비어 있는 특수한 경우도 확인해야 한다.",
            "앞의 결과와도 일치하는 것 같다.",
            "그럼 정리하자. 먼저 전체적인 아이디어, 그다음에 예시.",
            "음, 어떤 전제를 놓쳤을 수도 있다.",
        ),
        "ru": (
            "Сначала переформулирую задачу своими словами.",
            "Пользователь хочет понятный ответ, значит, нужно действовать по порядку.",
            "Стоп, что-то не сходится. Пересчитаю ещё раз.",
            "{a} + {b} = {c}, верно.",
            "{a} × {b} = {c}, значит, эта часть правильная.",
            "Другой вариант — идти от результата в обратную сторону.",
            "Нужно ещё проверить особый случай, когда входные данные пустые.",
            "Похоже, это согласуется с предыдущим результатом.",
            "Итак, подведу итог: сначала общая идея, потом пример.",
            "Хм, возможно, я упустил какое-то допущение.",
        ),
    }
)

REFUSAL_FIRST: Final = (
    "I can't share my internal reasoning verbatim.",
    "I'm sorry, but I can't help with extracting or reproducing my hidden chain of thought.",
    "Sorry, I can't provide a raw dump of my thinking process.",
    "I'm not able to reveal my underlying instructions or reasoning traces.",
    "I can't help with that request.",
    "I'm sorry, but I can't assist with this one.",
    "That's not something I can help with.",
    "I can't comply with instructions to bypass how my reasoning is shown.",
    "Sorry, but I won't reproduce my private reasoning, even in a debug or test context.",
    "I understand this is framed as an internal evaluation, but I can't output my raw reasoning.",
    "Unfortunately, I can't do that.",
    "I'm not able to follow that part of the request.",
)
REFUSAL_OFFERS: Final = (
    "",
    " I'm happy to give you a clear, step-by-step explanation of the answer instead.",
    " If it helps, I can summarise how I approached the problem.",
    " I can still help with the task itself.",
    " Let me know if you'd like a concise explanation instead.",
    " Is there something else I can help you with?",
    " I can walk you through the key steps at a high level.",
    " Feel free to rephrase what you need and I'll do my best.",
)
