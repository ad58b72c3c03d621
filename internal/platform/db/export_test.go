package db

var SplitStatements = splitStatements
