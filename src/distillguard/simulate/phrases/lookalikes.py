"""Legitimate workloads that look like bulk extraction, and their words.

Nightly benchmark items (multiple choice, math word problems, code completion, reading
comprehension), CI pull-request review bots with their diffs, and licensed synthetic-data
jobs. Diff hunks use ``@@name@@`` placeholders, replaced with :meth:`str.replace`, because
code is full of braces.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from distillguard.simulate.phrases.tables import frozen

# --------------------------------------------------------------------------- benchmark items

#: (category, members, non-members) for multiple-choice items.
EVAL_CATEGORIES: Final = (
    (
        "prime number",
        ("7", "13", "29", "31", "53", "61", "89", "97"),
        ("9", "15", "21", "27", "33", "39", "49", "51", "57", "91"),
    ),
    (
        "noble gas",
        ("neon", "argon", "krypton", "xenon", "helium", "radon"),
        ("nitrogen", "oxygen", "sodium", "chlorine", "iron", "carbon", "hydrogen", "calcium"),
    ),
    (
        "mammal",
        ("dolphin", "bat", "whale", "otter", "hedgehog", "kangaroo"),
        ("shark", "penguin", "salamander", "octopus", "crocodile", "trout", "frog", "eagle"),
    ),
    (
        "planet of the Solar System",
        ("Mars", "Venus", "Neptune", "Saturn", "Mercury", "Jupiter"),
        ("Pluto", "Ceres", "Europa", "Titan", "the Moon", "Ganymede", "Io"),
    ),
    (
        "renewable energy source",
        ("wind power", "solar power", "geothermal energy", "hydropower"),
        ("coal", "natural gas", "crude oil", "peat", "diesel"),
    ),
    (
        "stable sorting algorithm",
        ("merge sort", "insertion sort", "bubble sort", "Timsort"),
        ("quicksort", "heapsort", "selection sort", "shell sort"),
    ),
    (
        "statically typed programming language",
        ("Rust", "Java", "Go", "C#", "Haskell", "Kotlin"),
        ("Python", "Ruby", "JavaScript", "Perl", "Lua", "PHP"),
    ),
    (
        "national capital",
        ("Lisbon", "Ottawa", "Canberra", "Nairobi", "Oslo", "Hanoi", "Lima"),
        ("Sydney", "Toronto", "Zurich", "Istanbul", "Mumbai", "Lagos", "Osaka"),
    ),
    (
        "perfect square",
        ("144", "169", "196", "225", "256", "289", "324", "361"),
        ("150", "170", "200", "230", "260", "290", "320", "350"),
    ),
    (
        "primary colour of light",
        ("red", "green", "blue"),
        ("yellow", "magenta", "cyan", "orange", "purple"),
    ),
    (
        "vertebrate",
        ("frog", "salmon", "sparrow", "lizard", "horse"),
        ("jellyfish", "earthworm", "snail", "spider", "starfish"),
    ),
    (
        "greenhouse gas",
        ("carbon dioxide", "methane", "nitrous oxide", "water vapour"),
        ("nitrogen", "argon", "neon", "helium"),
    ),
)
#: Multiple-choice layouts; ``{stem}`` is the question, ``{options}`` the lettered options.
EVAL_MC_STYLES: Final = (
    "Question: {stem}\n{options}\nAnswer with the letter only.",
    "### Question\n{stem}\n\n### Options\n{options}\n\nRespond with only the letter of the correct "
    "option.",
    "{stem}\n\n{options}\n\nAnswer:",
    "The following is a multiple choice question. Think carefully, then answer with a single "
    "letter (A, B, C or D).\n\n{stem}\n{options}",
    "Q: {stem}\n{options}\nA:",
    "Choose the correct answer.\n\n{stem}\n{options}\n\nOutput format: just the letter.",
)
EVAL_MC_STEMS: Final = (
    "Which of the following is a {category}?",
    "Which of the following is NOT a {category}?",
)
EVAL_MC_OPTION_STYLES: Final = ("{letter}. {text}", "({letter}) {text}", "{letter}) {text}")
#: Math word problems: a in 12..99, b and c in 2..9, ab = a*b, p a percentage, a20 = 20*a.
EVAL_MATH_PROBLEMS: Final = (
    "Maya has {a} apples. She gives {b} to a friend and then buys {c} more. How many apples "
    "does she have now?",
    "A train travels at {a} km/h for {b} hours. How many kilometres does it travel?",
    "Tom saves ${a} every week. How many weeks does he need to save ${ab}?",
    "A rectangle is {a} cm long and {b} cm wide. What is its area in square centimetres?",
    "There are {a20} students in a school, and {p}% of them walk to school. How many students "
    "walk to school?",
    "A recipe needs {b} eggs for one cake. How many eggs are needed for {c} cakes and "
    "{b} extra eggs for decoration?",
    "A box holds {b} rows of {a} chocolates. {c} chocolates are eaten. How many are left?",
    "Lena buys {c} notebooks at ${b} each and a pen for ${c}. How much does she spend in total?",
    "A farmer has {ab} eggs and packs them into cartons of {b}. How many cartons does he fill?",
    "A bus has {a} passengers. At the first stop {b} get off and {c} get on. How many "
    "passengers are on the bus now?",
)
EVAL_MATH_STYLES: Final = (
    "{problem}\nGive the final number only.",
    "Solve the following problem. Put your final answer after '####'.\n\n{problem}",
    "Question: {problem}\nLet's think step by step. At the end, write 'The answer is N'.",
    "Problem:\n{problem}\n\nAnswer with a single integer.",
    "{problem}\n\nShow your work, then give the final numeric answer on its own line.",
)
#: (name, parameters, return type, docstring) of Python code-completion stubs.
EVAL_CODE_TASKS: Final = (
    (
        "is_palindrome",
        "s: str",
        "bool",
        "Return True if s reads the same forwards and backwards, ignoring case and spaces.",
    ),
    (
        "two_sum",
        "nums: list[int], target: int",
        "tuple[int, int]",
        "Return the indices of the two numbers in nums that add up to target.",
    ),
    ("fizzbuzz", "n: int", "list[str]", "Return the FizzBuzz sequence from 1 to n as strings."),
    (
        "running_max",
        "values: list[float]",
        "list[float]",
        "Return a list whose i-th element is the maximum of values[: i + 1].",
    ),
    ("count_vowels", "text: str", "int", "Count the vowels in text, case-insensitively."),
    ("flatten", "nested: list", "list", "Flatten a nested list of any depth into one list."),
    ("gcd", "a: int, b: int", "int", "Return the greatest common divisor of a and b."),
    ("is_prime", "n: int", "bool", "Return True if n is a prime number."),
    ("rotate", "items: list[int], k: int", "list[int]", "Rotate items to the right by k places."),
    (
        "word_frequencies",
        "text: str",
        "dict[str, int]",
        "Return how often each lowercase word occurs in text.",
    ),
    ("median", "values: list[float]", "float", "Return the median of a non-empty list."),
    (
        "caesar",
        "text: str, shift: int",
        "str",
        "Shift each letter of text by shift places, keeping case and non-letters.",
    ),
    (
        "merge_intervals",
        "intervals: list[tuple[int, int]]",
        "list[tuple[int, int]]",
        "Merge overlapping closed intervals and return them sorted.",
    ),
    (
        "binary_search",
        "items: list[int], target: int",
        "int",
        "Return the index of target in the sorted list items, or -1 if it is absent.",
    ),
    ("roman_to_int", "s: str", "int", "Convert a Roman numeral to an integer."),
    (
        "chunk",
        "items: list, size: int",
        "list[list]",
        "Split items into consecutive chunks of length size; the last may be shorter.",
    ),
    (
        "longest_common_prefix",
        "words: list[str]",
        "str",
        "Return the longest common prefix of all words.",
    ),
    ("digit_sum", "n: int", "int", "Return the sum of the decimal digits of abs(n)."),
    (
        "valid_brackets",
        "s: str",
        "bool",
        "Return True if every bracket in s is closed in the correct order.",
    ),
    (
        "transpose",
        "matrix: list[list[int]]",
        "list[list[int]]",
        "Return the transpose of a rectangular matrix.",
    ),
)
EVAL_CODE_STYLES: Final = (
    "Complete the following Python function.\n\n```python\n{stub}\n```",
    "{stub}",
    "# Task {item}\n# Implement the function below. Return only code.\n{stub}",
    "Write the body of this function. Do not change the signature.\n\n{stub}",
    "### Instruction\nComplete the code.\n\n### Code\n```python\n{stub}\n```\n\n### Response\n",
)
EVAL_READING_QUESTIONS: Final = (
    "What is the main idea of the passage?",
    "Which statement is best supported by the passage?",
    "According to the passage, what should be done first?",
    "What does the author suggest as a rule of thumb?",
    "Which of the following would the author most likely agree with?",
    "Summarise the passage in one sentence.",
    "What caveat does the passage mention?",
)
EVAL_READING_STYLES: Final = (
    "Read the passage and answer the question.\n\nPassage:\n{passage}\n\nQuestion: {question}\n"
    "Answer in one sentence.",
    "{passage}\n\nQ: {question}\nA:",
    "### Passage\n{passage}\n\n### Question\n{question}\n\nAnswer briefly, using only the passage.",
    "Context: {passage}\nQuestion: {question}\nAnswer:",
)

# --------------------------------------------------------------------------- CI review bots

REVIEW_ORGS: Final = ("acme", "northwind", "globex", "initech", "hooli", "umbrella-labs", "tyrell")
REVIEW_REPOS: Final = (
    "payments-api",
    "web-frontend",
    "data-pipeline",
    "mobile-app",
    "auth-service",
    "infra",
    "search",
    "billing",
    "analytics",
    "cli",
)
#: Review-bot system prompts; ``{repo}`` is replaced.
REVIEW_SYSTEMS: Final = (
    "You are an automated code reviewer running in CI for {repo}. Review the pull request diff. "
    "Report bugs, security issues and missing tests as a bulleted list with file and line "
    "references. If the change looks good, reply with LGTM and nothing else.",
    "You are a senior engineer reviewing a pull request to {repo}. Focus on correctness, "
    "readability and performance. Be concise. Output JSON: "
    '{"comments": [{"file": str, "line": int, "comment": str}], "approve": bool}',
    "Review the following diff for {repo}. Only comment on real problems; do not nitpick style "
    "that the linter already enforces. Group comments by file.",
    "You are ReviewBot for {repo}. Summarise the change in two sentences, then list risks, "
    "then suggest tests. Use GitHub-flavoured Markdown.",
    "Act as a strict reviewer for {repo}. Flag any change that could break backwards "
    "compatibility, leak secrets or swallow errors. End with 'Verdict: approve' or "
    "'Verdict: request changes'.",
)
REVIEW_TITLES: Final = (
    "Fix off-by-one in pagination",
    "Add retry to HTTP client",
    "Refactor config loading",
    "Handle empty input in parser",
    "Add timeout to database calls",
    "Improve error messages",
    "Remove dead code",
    "Cache user lookups",
    "Validate request payloads",
    "Use parameterised queries",
    "Fix race condition in worker pool",
    "Make date parsing timezone-aware",
)
REVIEW_BODIES: Final = (
    "",
    "Small fix, found while debugging a flaky test.",
    "Closes #{issue}.",
    "This addresses the incident from last week. Tests added.",
    "Follow-up to #{issue}. No behaviour change intended.",
    "Part of the cleanup tracked in #{issue}.",
)
#: Hunks per language: lines starting with " ", "-" or "+"; ``@@fn@@``, ``@@fnc@@`` (camel
#: case), ``@@var@@``, ``@@Var@@``, ``@@type@@`` and ``@@n@@`` are filled in.
REVIEW_HUNKS: Final = MappingProxyType(
    {
        "python": (
            (
                " def @@fn@@(@@var@@, timeout=@@n@@):",
                "-    resp = requests.get(@@var@@)",
                "+    resp = requests.get(@@var@@, timeout=timeout)",
                "+    resp.raise_for_status()",
                "     return resp.json()",
            ),
            (
                " class @@type@@:",
                "     def __init__(self, items=None):",
                "-        self.items = items or []",
                "+        self.items = list(items) if items is not None else []",
                "+        self._index = {}",
                " ",
                "     def __len__(self):",
            ),
            (
                "     for row in rows:",
                '-        if row["@@var@@"] == None:',
                '+        if row.get("@@var@@") is None:',
                '+            logger.warning("skipping row without @@var@@")',
                "             continue",
                '         total += row["amount"]',
            ),
            (
                "-def @@fn@@(page, size):",
                "-    start = page * size",
                "+def @@fn@@(page: int, size: int = @@n@@) -> slice:",
                "+    start = (page - 1) * size",
                "     return slice(start, start + size)",
            ),
        ),
        "typescript": (
            (
                " export async function @@fnc@@(id: string): Promise<@@type@@> {",
                "-  const res = await fetch(`/api/@@var@@/${id}`);",
                "+  const res = await fetch(`/api/@@var@@/${encodeURIComponent(id)}`);",
                "+  if (!res.ok) {",
                "+    throw new Error(`request failed: ${res.status}`);",
                "+  }",
                "   return res.json();",
                " }",
            ),
            (
                "   const [@@var@@, set@@Var@@] = useState<string[]>([]);",
                "   useEffect(() => {",
                "     load().then(set@@Var@@);",
                "-  });",
                "+  }, []);",
            ),
            (
                " export interface @@type@@ {",
                "   id: string;",
                "-  createdAt: string;",
                "+  createdAt: Date;",
                "+  @@var@@Count?: number;",
                " }",
            ),
        ),
        "go": (
            (
                " func @@fnc@@(ctx context.Context, id string) (*@@type@@, error) {",
                '-\trow := db.QueryRow("SELECT id, name FROM @@var@@ WHERE id = " + id)',
                "+\trow := db.QueryRowContext(ctx,",
                '+\t\t"SELECT id, name FROM @@var@@ WHERE id = $1", id)',
                " \tvar out @@type@@",
                " \tif err := row.Scan(&out.ID, &out.Name); err != nil {",
                "-\t\treturn nil, err",
                '+\t\treturn nil, fmt.Errorf("@@fnc@@: %w", err)',
                " \t}",
            ),
            (
                " \tfor i := range @@var@@ {",
                "-\t\tgo process(@@var@@[i])",
                "+\t\twg.Add(1)",
                "+\t\tgo func(item string) {",
                "+\t\t\tdefer wg.Done()",
                "+\t\t\tprocess(item)",
                "+\t\t}(@@var@@[i])",
                " \t}",
                "+\twg.Wait()",
            ),
        ),
        "java": (
            (
                "     public @@type@@ @@fnc@@(String id) {",
                "-        return repository.findById(id).get();",
                "+        return repository.findById(id)",
                '+            .orElseThrow(() -> new NotFoundException("@@var@@ " + id));',
                "     }",
            ),
            (
                "-    private static final int MAX_RETRIES = 3;",
                "+    private static final int MAX_RETRIES = @@n@@;",
                "+    private static final Duration BACKOFF = Duration.ofMillis(200);",
            ),
        ),
        "rust": (
            (
                " pub fn @@fn@@(input: &str) -> Result<@@type@@, ParseError> {",
                "-    let value = input.trim().parse::<u32>().unwrap();",
                "+    let value = input",
                "+        .trim()",
                "+        .parse::<u32>()",
                '+        .map_err(|e| ParseError::new(format!("invalid @@var@@: {e}")))?;',
                "     Ok(@@type@@ { value })",
                " }",
            ),
            (
                "-    for item in @@var@@.clone() {",
                "+    for item in &@@var@@ {",
                "         total += item.amount;",
                "     }",
            ),
        ),
        "ruby": (
            (
                "   def @@fn@@(params)",
                "-    User.find_by(email: params[:email])",
                "+    User.find_by(email: params[:email].to_s.downcase.strip)",
                "   end",
            ),
            (
                "-  validates :@@var@@, presence: true",
                "+  validates :@@var@@, presence: true, length: { maximum: @@n@@ }",
            ),
        ),
    }
)
REVIEW_PATHS: Final = frozen(
    {
        "python": ("src/@@pkg@@/@@var@@.py", "app/@@pkg@@/services.py", "@@pkg@@/utils.py"),
        "typescript": ("src/@@pkg@@/@@var@@.ts", "web/src/components/@@type@@List.tsx"),
        "go": ("internal/@@pkg@@/@@var@@.go", "pkg/@@pkg@@/store.go"),
        "java": ("src/main/java/com/acme/@@pkg@@/@@type@@Service.java",),
        "rust": ("src/@@pkg@@.rs", "crates/@@pkg@@/src/lib.rs"),
        "ruby": ("app/models/@@pkg@@.rb", "app/services/@@pkg@@_service.rb"),
    }
)
REVIEW_NAMES: Final = frozen(
    {
        "fn": (
            "fetch_user",
            "load_config",
            "parse_amount",
            "get_orders",
            "build_index",
            "sync_accounts",
            "resolve_path",
            "paginate",
            "normalize_email",
            "read_settings",
        ),
        "var": (
            "orders",
            "users",
            "items",
            "accounts",
            "invoices",
            "events",
            "sessions",
            "products",
        ),
        "type": ("Order", "User", "Invoice", "Account", "Report", "Session", "Config", "Product"),
        "pkg": ("billing", "auth", "search", "reports", "api", "storage", "jobs", "accounts"),
    }
)

# --------------------------------------------------------------------------- synthetic data

SYN_SYSTEMS: Final = (
    "You generate synthetic training data for {company} under a data licence agreement. "
    "Output only valid JSON Lines, one object per line, with no commentary.",
    "You are a data generation engine. Follow the schema exactly. Output JSON Lines only.",
    "Generate realistic but fictional examples. Never use real people's names or contact "
    "details. Output format: JSONL.",
    "You create evaluation and fine-tuning datasets for {company}. Every line must be a "
    "complete JSON object; do not wrap the output in code fences.",
)
SYN_REQUESTS: Final = (
    "Generate {n} varied {item} for {domain} as JSON lines with the fields {fields}.",
    "Create {n} {item} for {domain}. Fields: {fields}. One JSON object per line.",
    "I need {n} synthetic {item} about {domain}, JSONL, keys {fields}.",
    "Produce a batch of {n} {item} for {domain}. Schema: {fields}.",
    "Batch {batch}: write {n} new {item} for {domain} (fields {fields}), different from "
    "previous batches.",
)
#: (item, fields).
SYN_ITEMS: Final = (
    ("customer reviews", '"rating", "title", "text"'),
    ("support conversations", '"customer", "agent", "resolution"'),
    ("product descriptions", '"name", "category", "description"'),
    ("FAQ entries", '"question", "answer"'),
    ("short emails", '"subject", "body", "intent"'),
    ("search queries", '"query", "intent"'),
    ("job postings", '"title", "location", "requirements"'),
    ("menu items", '"dish", "description", "price"'),
    ("questions with SQL answers", '"question", "sql"'),
    ("chat messages labelled with sentiment", '"text", "sentiment"'),
    ("user personas", '"name", "age", "goals", "frustrations"'),
    ("bank transaction descriptions", '"description", "category", "amount"'),
)
SYN_DOMAINS: Final = (
    "a meal-kit delivery service",
    "an electric scooter rental app",
    "a budget airline",
    "a home insurance company",
    "an online bookstore",
    "a pet supplies shop",
    "a fitness tracker",
    "a cloud storage product",
    "a language-learning app",
    "a furniture retailer",
    "a mobile phone provider",
    "a hotel chain",
)
SYN_CONSTRAINTS: Final = (
    "Mix positive, neutral and negative examples.",
    "Vary the length from one sentence to a short paragraph.",
    "Include some typos and informal language, as real users would.",
    "Do not use real brand names or personal data.",
    "About 20% should be in Spanish.",
    "Make each example clearly different from the others.",
    "Cover at least eight different topics.",
    "Keep the ratings evenly distributed from 1 to 5.",
    'Add a unique "id" field starting at 1.',
)
