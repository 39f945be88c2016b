// Renders SecDcc's allure-results as one self-contained HTML file, tests grouped by
// source document (epic) → feature → clause (story).
export default {
  name: process.env.SECDCC_REPORT_NAME ?? "SecDcc conformance report",
  output: process.env.SECDCC_REPORT_DIR ?? "../out/allure-report",
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: "en",
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
};
