namespace SecDcc.Reports;
