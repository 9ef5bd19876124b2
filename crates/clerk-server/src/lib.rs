//! A local server that speaks Clerk's Backend API.
